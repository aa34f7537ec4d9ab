/**
 * chatwoot-messages/redis: the durable, multi-process webhook queue. Node only; needs the optional
 * peer dependencies `bullmq` and `ioredis`, which the main entry never loads.
 */
export { redisWebhookQueue } from "./redis/queue.js";
export type { RedisWebhookQueueOptions } from "./redis/queue.js";
export type { RedisConnection } from "./redis/connection.js";
