import { describe, expect, it } from 'vitest';
import {
  decodeMessage,
  ExecClientMessageSchema,
  LiveClientMessageSchema,
  LiveType,
  resourcePaths,
  streamPaths,
} from './index.ts';

describe('decodeMessage', () => {
  it.each([
    ['{"type":"subscribe","id":"a","cluster":"c","resource":"pods","mode":"objects"}', true],
    ['{"type":"subscribe","id":"a","cluster":"c","resource":"pods"}', false],
    ['{"type":"subscribe","id":"","cluster":"c","resource":"pods","mode":"objects"}', false],
    ['{"type":"unsubscribe","id":"a"}', true],
    ['{"type":"nonsense"}', false],
    ['not json', false],
  ])('live %s → %s', (text, ok) => {
    expect(decodeMessage(LiveClientMessageSchema, text) !== undefined).toBe(ok);
  });

  it('keeps the message as sent', () => {
    const message = decodeMessage(LiveClientMessageSchema, '{"type":"unsubscribe","id":"x"}');
    expect(message).toEqual({ type: LiveType.unsubscribe, id: 'x' });
  });

  it.each([
    ['{"type":"stdin","data":"ls\\n"}', true],
    ['{"type":"resize","cols":80,"rows":24}', true],
    ['{"type":"resize","cols":0,"rows":24}', false],
    ['{"type":"close-stdin"}', true],
  ])('exec %s → %s', (text, ok) => {
    expect(decodeMessage(ExecClientMessageSchema, text) !== undefined).toBe(ok);
  });
});

describe('paths', () => {
  it('encodes every segment', () => {
    expect(resourcePaths.object('c 1', 'deployments.apps', 'a/b')).toBe(
      '/k8s-api/v1/clusters/c%201/resources/deployments.apps/a%2Fb',
    );
    expect(streamPaths.exec('c', 'demo', 'web-1')).toBe(
      '/k8s-api/v1/clusters/c/namespaces/demo/pods/web-1/exec',
    );
  });
});
