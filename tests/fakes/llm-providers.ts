import http from "node:http";
import type { AddressInfo } from "node:net";

export type RecordedLlmRequest = { path: string; headers: http.IncomingHttpHeaders; body: Record<string, any> };

/**
 * Recording stand-ins for the OpenAI and Anthropic HTTP APIs on loopback, answering with
 * provider-shaped bodies (usage with cached, cache-write and reasoning tokens) and SSE streams.
 * Point the real clients at them: `new OpenAI({ baseURL: `${fake.baseUrl}/v1` })`,
 * `new Anthropic({ baseURL: fake.baseUrl })`. A model named `fail-*` answers 500.
 * The token counts are fixed so tests can state exact costs.
 */
export const OPENAI_USAGE = { prompt: 1200, cached: 1000, completion: 300, reasoning: 100 };
export const ANTHROPIC_USAGE = { input: 50, cacheRead: 2000, cacheWrite: 500, output: 400 };

function sse(res: http.ServerResponse, events: Array<{ event?: string; data: unknown }>, delayMs = 5): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  let i = 0;
  const next = () => {
    if (i >= events.length) return void res.end();
    const e = events[i++]!;
    res.write(`${e.event ? `event: ${e.event}\n` : ""}data: ${typeof e.data === "string" ? e.data : JSON.stringify(e.data)}\n\n`);
    setTimeout(next, delayMs);
  };
  next();
}

function openaiChat(body: Record<string, any>, res: http.ServerResponse): void {
  const model = `${body.model}-2024-07-18`;
  const usage = {
    prompt_tokens: OPENAI_USAGE.prompt,
    completion_tokens: OPENAI_USAGE.completion,
    total_tokens: OPENAI_USAGE.prompt + OPENAI_USAGE.completion,
    prompt_tokens_details: { cached_tokens: OPENAI_USAGE.cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: OPENAI_USAGE.reasoning, audio_tokens: 0 },
  };
  const id = `chatcmpl-${Date.now()}`;
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        id,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [{ index: 0, message: { role: "assistant", content: "Hello from the fake." }, finish_reason: "stop" }],
        usage,
      }),
    );
    return;
  }
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    id,
    object: "chat.completion.chunk",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const events: Array<{ data: unknown }> = [
    { data: chunk({ role: "assistant", content: "" }) },
    { data: chunk({ content: "Hello" }) },
    { data: chunk({ content: " streamed" }) },
    { data: chunk({}, "stop") },
  ];
  if (body.stream_options?.include_usage) events.push({ data: { id, object: "chat.completion.chunk", created: 0, model, choices: [], usage } });
  events.push({ data: "[DONE]" });
  sse(res, events);
}

function openaiResponses(body: Record<string, any>, res: http.ServerResponse): void {
  const response = {
    id: `resp_${Date.now()}`,
    object: "response",
    created_at: Math.floor(Date.now() / 1000),
    status: "completed",
    model: `${body.model}-2024-07-18`,
    output: [
      { type: "message", id: "msg_1", status: "completed", role: "assistant", content: [{ type: "output_text", text: "Responses hello.", annotations: [] }] },
    ],
    usage: {
      input_tokens: OPENAI_USAGE.prompt,
      input_tokens_details: { cached_tokens: OPENAI_USAGE.cached },
      output_tokens: OPENAI_USAGE.completion,
      output_tokens_details: { reasoning_tokens: OPENAI_USAGE.reasoning },
      total_tokens: OPENAI_USAGE.prompt + OPENAI_USAGE.completion,
    },
  };
  if (!body.stream) return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(response));
  sse(res, [
    { event: "response.created", data: { type: "response.created", sequence_number: 0, response: { ...response, status: "in_progress", usage: null } } },
    {
      event: "response.output_text.delta",
      data: { type: "response.output_text.delta", sequence_number: 1, item_id: "msg_1", output_index: 0, content_index: 0, delta: "Responses " },
    },
    {
      event: "response.output_text.delta",
      data: { type: "response.output_text.delta", sequence_number: 2, item_id: "msg_1", output_index: 0, content_index: 0, delta: "hello." },
    },
    { event: "response.completed", data: { type: "response.completed", sequence_number: 3, response } },
  ]);
}

function anthropicMessages(body: Record<string, any>, res: http.ServerResponse): void {
  const usage = {
    input_tokens: ANTHROPIC_USAGE.input,
    cache_read_input_tokens: ANTHROPIC_USAGE.cacheRead,
    cache_creation_input_tokens: ANTHROPIC_USAGE.cacheWrite,
    output_tokens: ANTHROPIC_USAGE.output,
  };
  const message = {
    id: `msg_${Date.now()}`,
    type: "message",
    role: "assistant",
    model: body.model,
    content: [{ type: "text", text: "Claude fake says hi." }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage,
  };
  if (!body.stream) return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(message));
  sse(res, [
    { event: "message_start", data: { type: "message_start", message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } } },
    { event: "content_block_start", data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } } },
    { event: "content_block_delta", data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Claude " } } },
    { event: "content_block_delta", data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "streams." } } },
    { event: "content_block_stop", data: { type: "content_block_stop", index: 0 } },
    {
      event: "message_delta",
      data: { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: ANTHROPIC_USAGE.output } },
    },
    { event: "message_stop", data: { type: "message_stop" } },
  ]);
}

export async function startFakeLlmProviders() {
  const requests: RecordedLlmRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body: Record<string, any> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
      } catch {
        return void res.writeHead(400).end();
      }
      const path = (req.url ?? "").split("?")[0]!;
      requests.push({ path, headers: req.headers, body });
      if (typeof body.model === "string" && body.model.startsWith("fail-")) {
        const payload =
          path === "/v1/messages"
            ? { type: "error", error: { type: "api_error", message: "fake failure" } }
            : { error: { message: "fake failure", type: "server_error", code: null } };
        return void res.writeHead(500, { "content-type": "application/json", "x-should-retry": "false" }).end(JSON.stringify(payload));
      }
      if (path === "/v1/chat/completions") return openaiChat(body, res);
      if (path === "/v1/responses") return openaiResponses(body, res);
      if (path === "/v1/embeddings") {
        return void res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            object: "list",
            model: body.model,
            data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2, 0.3] }],
            usage: { prompt_tokens: 8, total_tokens: 8 },
          }),
        );
      }
      if (path === "/v1/messages") return anthropicMessages(body, res);
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"no such route"}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
