export { DEFAULT_LIMITS, withLimits, type ArchiveLimits } from './limits.ts';
export { gunzip, gunzipFast, gzip, gzipFast, isGzip, concat } from './gzip.ts';
export { isTar, readTar, writeTar, writeTarGz, unsafeEntryName, type TarInput } from './tar.ts';
export { expand, leaves, extractEntry, type ArchiveNode, type ArchiveLeaf, type ArchiveFolder } from './expand.ts';
