/**
 * @sightline/node — structured logging, request middleware, error capture, LLM client
 * wrappers and trace propagation for Node.js apps, sent to a Sightline portal in batches.
 */
export { init, flush, shutdown, captureException, transportStats, audit, type AuditEntry } from "./client.js";
export type { InitOptions } from "./config.js";
export { logger, Logger } from "./logger.js";
export type { Fields, LogOptions, CatchOptions } from "./logger.js";
export type { AddOptions, Filter, Sink, SinkObject, SinkFunction } from "./handlers.js";
export type { LogRecord, Formatter } from "./record.js";
export { serializeRecord, plainFormat } from "./record.js";
export { LEVELS, type LevelName } from "./levels.js";
export { fileSink, type FileSinkOptions } from "./sinks/file.js";
export { consoleSink } from "./sinks/console.js";
export { createRedactor, REDACTED, type RedactOptions } from "./redact.js";
export type { CaptureContext, ErrorLevel } from "./errors.js";
export { parseStack, exceptionValues } from "./stack.js";
export { parseTraceparent, formatTraceparent } from "./ids.js";
export { currentTraceparent, withSpan } from "./trace.js";
export { expressMiddleware, expressErrorHandler, setupExpressErrorHandler } from "./http/express.js";
export { fastifyPlugin } from "./http/fastify.js";
export { withSightline, onRequestError, routeFromParams } from "./http/next.js";
export type { MiddlewareOptions } from "./http/request.js";
export { wrapOpenAI, type OpenAIWrapOptions } from "./llm/openai.js";
export { wrapAnthropic } from "./llm/anthropic.js";
export type { WrapOptions } from "./llm/call.js";
export { verifyInclusion, verifyConsistency, verifyCheckpoint, parseVerifierKey, leafHash } from "./audit/index.js";
export type { Checkpoint, CheckpointCheck, VerifierKey } from "./audit/index.js";
