// Turns any failure into a sentence a person understands: the gateway's own message when it sent
// one, a translated one for the client's own failures, never a stack or raw JSON.
import { useI18n } from 'vue-i18n';
import { ApiError, ClientErrorCode } from '../api/errors';

export function useErrorText(): (err: unknown) => string {
  const { t } = useI18n();
  return (err) => {
    if (err instanceof ApiError) {
      if (err.code === ClientErrorCode.network) return t('errors.network');
      return err.message === '' ? t('errors.unexpected') : err.message;
    }
    return t('errors.unexpected');
  };
}
