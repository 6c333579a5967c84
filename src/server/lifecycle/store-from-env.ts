import { env } from "../env";
import { DirectoryArchiveStore, type ArchiveStore } from "./archive-store";
import { S3ArchiveStore } from "./s3-store";

/** The store the environment configures: the S3 bucket when ARCHIVE_S3_BUCKET is set, else ARCHIVE_DIR. */
export function archiveStoreFromEnv(): ArchiveStore {
  if (env.ARCHIVE_S3_BUCKET) {
    return new S3ArchiveStore({
      bucket: env.ARCHIVE_S3_BUCKET,
      endpoint: env.ARCHIVE_S3_ENDPOINT,
      region: env.ARCHIVE_S3_REGION,
      accessKeyId: env.ARCHIVE_S3_ACCESS_KEY_ID,
      secretAccessKey: env.ARCHIVE_S3_SECRET_ACCESS_KEY,
      forcePathStyle: env.ARCHIVE_S3_FORCE_PATH_STYLE,
    });
  }
  return new DirectoryArchiveStore(env.ARCHIVE_DIR);
}
