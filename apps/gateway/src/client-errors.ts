// Answers to requests that never reached a route (sent too slowly, headers too large, not HTTP),
// in the one error shape, naming the limit where there is one.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

function answer(socket: Socket, status: number, body: { code: string; message: string }): void {
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${String(status)} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${String(Buffer.byteLength(text))}\r\n\r\n${text}`,
    );
  }
}

/** For Fastify's `clientErrorHandler`. */
export function clientErrorHandler(options: {
  requestTimeoutSeconds: number;
}): (err: NodeJS.ErrnoException, socket: Socket) => void {
  return (err, socket) => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      answer(socket, 408, {
        code: 'RequestTimeout',
        message: `The request was not sent within ${String(options.requestTimeoutSeconds)} s (BINNACLE_REQUEST_TIMEOUT_SECONDS).`,
      });
    } else if (err.code === 'HPE_HEADER_OVERFLOW') {
      answer(socket, 431, {
        code: 'HeadersTooLarge',
        message: 'The request headers are too large.',
      });
    } else {
      answer(socket, 400, { code: 'BadRequest', message: 'This is not a valid HTTP request.' });
    }
    socket.destroy();
  };
}
