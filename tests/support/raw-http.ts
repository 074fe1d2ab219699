import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  /** The body parsed as JSON; the text where it is not JSON; undefined when empty. */
  body: unknown;
}

/**
 * Sends bytes as they are on a fresh connection and reads the answer until the server closes it:
 * for what `inject` cannot send, because Node's HTTP parser refuses it before the app sees it.
 */
export function rawRequest(port: number, bytes: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const split = received.indexOf('\r\n\r\n');
      const head = split < 0 ? received : received.slice(0, split);
      const text = split < 0 ? '' : received.slice(split + 4);
      resolve({ status: Number(head.split(' ')[1]), body: text ? parsed(text) : undefined });
    });
    socket.end(bytes);
  });
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
