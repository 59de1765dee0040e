// Delete (after a confirmation) and scale, with the outcome told in a message a person reads.
import { resourceKey, type KubeObject, type ResourceEntry } from '@binnacle/resources';
import { App as AntApp } from 'ant-design-vue';
import { useI18n } from 'vue-i18n';
import { deleteResourceApi, scaleResourceApi, type ObjectRef } from '../api/resources';
import { useRuntime } from '../app/runtime';
import { useErrorText } from './useErrorText';

export function useResourceActions(options: { cluster: () => string; entry: () => ResourceEntry }) {
  const { http } = useRuntime();
  const { t } = useI18n();
  const { message, modal } = AntApp.useApp();
  const errorText = useErrorText();

  function refOf(object: KubeObject): ObjectRef {
    const { name, namespace } = object.metadata;
    return {
      cluster: options.cluster(),
      resource: resourceKey(options.entry()),
      name,
      ...(namespace ? { namespace } : {}),
    };
  }

  /** Resolves true when the object was deleted. */
  function remove(object: KubeObject): Promise<boolean> {
    const { name } = object.metadata;
    return new Promise((resolve) => {
      modal.confirm({
        title: t('list.deleteTitle', { name }),
        content: t('list.deleteBody', { name, kind: options.entry().kind }),
        okText: t('common.delete'),
        okType: 'danger',
        cancelText: t('common.cancel'),
        async onOk() {
          try {
            await deleteResourceApi(http, refOf(object));
            void message.success(t('list.deleted', { name }));
            resolve(true);
          } catch (err) {
            void message.error(errorText(err));
            resolve(false);
          }
        },
        onCancel: () => {
          resolve(false);
        },
      });
    });
  }

  /** Resolves true when the new replica count was accepted. */
  async function scale(object: KubeObject, replicas: number): Promise<boolean> {
    try {
      const answer = await scaleResourceApi(http, refOf(object), replicas);
      void message.success(
        t('scale.done', { name: object.metadata.name, replicas: answer.replicas }),
      );
      return true;
    } catch (err) {
      void message.error(errorText(err));
      return false;
    }
  }

  return { remove, scale };
}
