/**
 * Archives in an S3-compatible bucket (ARCHIVE_S3_BUCKET with ARCHIVE_S3_ENDPOINT, ARCHIVE_S3_REGION and
 * ARCHIVE_S3_ACCESS_KEY_ID / ARCHIVE_S3_SECRET_ACCESS_KEY; without keys the SDK's default credential
 * chain applies), through the AWS SDK v3. Same keys and guarantees as the directory store: an object
 * appears whole or not at all, and the retention job reads every object back before deleting rows.
 */
import { randomBytes } from "node:crypto";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import type { ArchiveStore } from "./archive-store";

export type S3StoreOptions = {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style URLs (http://host/bucket/key), which most S3-compatible servers want. */
  forcePathStyle: boolean;
};

const PROBE_TIMEOUT_MS = 10_000;

export class S3ArchiveStore implements ArchiveStore {
  readonly location: string;
  private readonly client: S3Client;

  constructor(private readonly options: S3StoreOptions) {
    this.location = `s3://${options.bucket}${options.endpoint ? ` at ${options.endpoint}` : ""}`;
    const config: S3ClientConfig = {
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      // Plain requests: content checksums are ours (sha256 in the manifest, verified on read-back).
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 3,
    };
    if (options.accessKeyId && options.secretAccessKey) {
      config.credentials = { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey };
    }
    this.client = new S3Client(config);
  }

  async put(key: string, body: Buffer): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: key, Body: body, ContentLength: body.length }));
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : Buffer.alloc(0);
    } catch (error) {
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === "NoSuchKey" || e.$metadata?.httpStatusCode === 404) return null;
      throw error;
    }
  }

  async stream(key: string): Promise<{ body: ReadableStream<Uint8Array>; length: number } | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      if (!out.Body) return null;
      return { body: out.Body.transformToWebStream() as ReadableStream<Uint8Array>, length: out.ContentLength ?? 0 };
    } catch (error) {
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === "NoSuchKey" || e.$metadata?.httpStatusCode === 404) return null;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.client.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of out.Contents ?? []) if (o.Key && /\.(json|gz)$/.test(o.Key)) keys.push(o.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async probe(): Promise<void> {
    const key = `.probe/${randomBytes(6).toString("hex")}`;
    const body = Buffer.from("probe");
    const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: key, Body: body }), { abortSignal: signal });
      const back = await this.get(key);
      if (!back?.equals(body)) throw new Error("what was written could not be read back");
      await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }), { abortSignal: signal });
    } catch (error) {
      const e = error as Error & { Code?: string };
      throw new Error(`archive storage ${this.location} is not usable: ${e.name && e.name !== "Error" ? `${e.name}: ` : ""}${e.message}`, { cause: error });
    }
  }
}
