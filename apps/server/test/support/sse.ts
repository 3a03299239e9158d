import { type EventSourceMessage, EventSourceParserStream } from 'eventsource-parser/stream';

/** A server-sent event stream read as the console reads GET /api/v1/events. */
export interface Stream {
  status: number;
  contentType: string | null;
  messages: EventSourceMessage[];
  comments: string[];
  retry: number | null;
  ended: Promise<void>;
  /** Resolves with the first message (already received or still to come) that matches. */
  waitFor(match: (m: EventSourceMessage) => boolean, ms?: number): Promise<EventSourceMessage>;
  /** The unnamed messages (notices), parsed. */
  notices(): Record<string, unknown>[];
  close(): void;
}

export async function openStream(url: string, headers: Record<string, string> = {}): Promise<Stream> {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  const stream: Stream = {
    status: response.status,
    contentType: response.headers.get('content-type'),
    messages: [],
    comments: [],
    retry: null,
    ended: Promise.resolve(),
    async waitFor(match, ms = 5000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = stream.messages.find(match);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`no matching event within ${ms} ms: ${JSON.stringify(stream.messages)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    notices: () => stream.messages.filter((m) => m.event === undefined).map((m) => JSON.parse(m.data)),
    close: () => abort.abort(),
  };
  if (response.status !== 200 || !response.body) return stream;
  const reader = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(
      new EventSourceParserStream({
        onComment: (comment) => stream.comments.push(comment.trim()),
        onRetry: (retry) => {
          stream.retry = retry;
        },
      }),
    )
    .getReader();
  stream.ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        stream.messages.push(value);
      }
    } catch {
      // aborted by close()
    }
  })();
  await stream.waitFor((m) => m.event === 'ready');
  return stream;
}
