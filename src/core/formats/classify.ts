import type { ArchiveFolder, ArchiveLeaf, ArchiveNode } from '../archive/expand.ts';
import { bomLength, indexOfAscii } from './xml.ts';

/**
 * Every file kind of FORMATS.md, named from the content alone: names and extensions lie (CSSM wants `.tar` but
 * devices write `.txt`, CSLU imports `*.xml`, Windows drops `.tar` when renaming). `archive` is a tar that is
 * none of the bundle kinds (an operator's own tarball of device files): its entries are classified one by one.
 */
export type FileKind =
  | 'usage-report'
  | 'slac-request'
  | 'upload-bundle'
  | 'ack'
  | 'ack-bundle'
  | 'policy'
  | 'license-summary'
  | 'cli'
  | 'syslog'
  | 'inventory-csv'
  | 'backup'
  | 'controller-report'
  | 'archive'
  | 'unknown';

export const KIND_LABELS: Record<FileKind, string> = {
  'usage-report': 'Device usage file',
  'slac-request': 'SLAC request',
  'upload-bundle': 'CSSM upload bundle',
  ack: 'ACK from CSSM',
  'ack-bundle': 'ACK bundle from CSSM',
  policy: 'Reporting policy',
  'license-summary': 'CSSM licence summary',
  cli: '"show license" output',
  syslog: 'Syslog messages',
  'inventory-csv': 'Inventory CSV',
  backup: 'Workbench backup',
  'controller-report': 'Controller usage report (workbench format)',
  archive: 'Archive of files',
  unknown: 'Unknown',
};

export interface Classification {
  kind: FileKind;
  /** Why this kind: what in the content decided it (shown to users, useful when the guess surprises them). */
  reason: string;
  /** Produced by the workbench's simulator (demo mode, tests), never by Cisco. */
  simulated: boolean;
}

const SNIFF_BYTES = 64 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Marker the simulator puts in everything it writes (an XML comment or a JSON field). */
export const SIMULATED_MARKER = 'slp-simulated';

function unknown(reason: string): Classification {
  return { kind: 'unknown', reason, simulated: false };
}

/** A decoded prefix of the file for sniffing, or null when it is not UTF-8 text. */
function textPrefix(bytes: Uint8Array, length = SNIFF_BYTES): string | null {
  const start = bomLength(bytes);
  let end = Math.min(bytes.length, start + length);
  // Do not cut a multi-byte character in half at the sniff boundary.
  while (end < bytes.length && end > start && (bytes[end]! & 0xc0) === 0x80) end--;
  const head = bytes.subarray(start, end);
  if (head.includes(0)) return null;
  try {
    return utf8.decode(head);
  } catch {
    return null;
  }
}

function binaryKind(bytes: Uint8Array): string {
  const b = bytes;
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) {
    return 'a ZIP archive — the workbench reads tar and tar.gz (what Cisco tools write); extract it and import the files';
  }
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'a PNG image, not a licensing file';
  if (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46) return 'a PDF document, not a licensing file';
  if ((b[0] === 0xfe && b[1] === 0xff) || (b[0] === 0xff && b[1] === 0xfe)) return 'UTF-16 text; Cisco tools write UTF-8 — re-copy the original file';
  // Text with a stray invalid byte (a damaged copy, a Latin-1 editor) was called "binary data", which sends the
  // operator looking for the wrong problem (hostile corpus, issue 8): say what is wrong with it instead.
  if (looksLikeText(b)) return 'text with bytes that are not valid UTF-8 (Cisco tools write UTF-8: a damaged copy, or edited in another encoding?) — re-copy the original file';
  return 'binary data, not a licensing file';
}

/** No NUL and at least 95% printable ASCII or white space in the first 4 KiB: text, whatever its encoding. */
function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 4096);
  let texty = 0;
  for (const c of head) {
    if (c === 0) return false;
    if ((c >= 0x20 && c < 0x7f) || c === 0x09 || c === 0x0a || c === 0x0d) texty++;
  }
  return texty >= head.length * 0.95;
}

export function classifyLeaf(bytes: Uint8Array): Classification {
  if (bytes.length === 0) return unknown('the file is empty');
  // XML is told apart by its root element and byte searches, so a short prefix is enough; text kinds get more.
  const head = textPrefix(bytes, 4096);
  const text = head !== null && head.trimStart().startsWith('<') ? head : textPrefix(bytes);
  if (text === null) return unknown(binaryKind(bytes));
  const trimmed = text.trimStart();
  if (trimmed === '') return unknown('the file holds only blank space');
  if (trimmed.startsWith('<')) {
    const xml = classifyXml(bytes, trimmed);
    // Pasted CLI output can start with "<output truncated>" or HTML from a copied web page: try it as text too.
    if (xml.kind !== 'unknown' || xml.reason.includes('DTD')) return xml;
    const asText = classifyText(trimmed);
    return asText.kind === 'unknown' ? xml : asText;
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return classifyJson(trimmed);
  return classifyText(trimmed);
}

function rootElementName(text: string): string | null {
  // Skip the XML declaration, processing instructions and comments before the first element.
  let rest = text;
  for (;;) {
    rest = rest.trimStart();
    if (rest.startsWith('<?')) {
      const end = rest.indexOf('?>');
      if (end === -1) return null;
      rest = rest.slice(end + 2);
    } else if (rest.startsWith('<!--')) {
      const end = rest.indexOf('-->');
      if (end === -1) return null;
      rest = rest.slice(end + 3);
    } else break;
  }
  const m = /^<([A-Za-z_][\w.:-]*)/.exec(rest);
  return m ? m[1]! : rest.startsWith('<!DOCTYPE') ? '!DOCTYPE' : null;
}

function classifyXml(bytes: Uint8Array, head: string): Classification {
  const simulated = head.includes(SIMULATED_MARKER);
  const root = rootElementName(head);
  const has = (name: string) => indexOfAscii(bytes, `<${name}`, 0) !== -1;
  const found = (kind: FileKind, reason: string): Classification => ({ kind, reason, simulated });
  switch (root) {
    case 'smartLicense':
      // An ACK may carry a policy too, so the ACK test comes first.
      if (has('smartLicenseRumAck')) return found('ack', '<smartLicense> holding <smartLicenseRumAck>');
      if (has('smartLicenseAuthRequest')) return found('slac-request', '<smartLicense> holding <smartLicenseAuthRequest>');
      if (has('RUMReport')) return found('usage-report', '<smartLicense> holding <RUMReport> elements');
      if (has('smartLicensePolicy')) return found('policy', '<smartLicense> holding <smartLicensePolicy>');
      if (has('smartLicenseSystemInfo')) return found('usage-report', '<smartLicense> with system information only');
      return unknown('<smartLicense> XML holding none of the elements the workbench knows');
    case 'RUMReport':
      return found('usage-report', 'a bare <RUMReport> element');
    case 'smartLicensePolicy':
      return found('policy', '<smartLicensePolicy> root');
    case 'smartLicenseRumAck':
      return found('ack', '<smartLicenseRumAck> root');
    case '!DOCTYPE':
      return unknown('XML with a document type declaration (DTD) — refused: Cisco files never carry one');
    case null:
      return unknown('text starting with "<" that is not XML');
    default:
      if (/^(html|HTML)$/.test(root)) return unknown('an HTML page, not a licensing file (a browser "Save page" of a portal?)');
      return unknown(`XML with root <${root}>, which is not a Smart Licensing file`);
  }
}

function classifyJson(head: string): Classification {
  const simulated = head.includes(SIMULATED_MARKER);
  if (/"format"\s*:\s*"slp-backup\//.test(head)) return { kind: 'backup', reason: 'JSON with "format": "slp-backup/…"', simulated };
  if (/"format"\s*:\s*"slp-summary\//.test(head)) return { kind: 'license-summary', reason: 'JSON with "format": "slp-summary/…"', simulated };
  if (/"format"\s*:\s*"slp-controller-usage\//.test(head)) return { kind: 'controller-report', reason: 'JSON with "format": "slp-controller-usage/…"', simulated };
  if (/"virtual_accounts"\s*:/.test(head) || /"accounts"\s*:\s*\[/.test(head)) {
    return { kind: 'license-summary', reason: 'CSSM accounts JSON ("accounts"/"virtual_accounts")', simulated };
  }
  if (/"license_details"\s*:/.test(head) || (/"summary"\s*:\s*\[/.test(head) && /"tag"\s*:/.test(head))) {
    return { kind: 'license-summary', reason: 'CSSM licences JSON ("summary" with licence tags)', simulated };
  }
  if (/"devices"\s*:\s*\[/.test(head) && /"(sudi|udiPid|licenseUsage|virtual_account)"/.test(head)) {
    return { kind: 'license-summary', reason: 'CSSM devices JSON ("devices" with "sudi")', simulated };
  }
  return unknown('JSON that is neither a CSSM licence summary nor a workbench file');
}

/** Header fields accepted for the inventory CSV (FORMATS.md: at least hostname,pid,serial). */
const CSV_SERIAL = /^(serial|sn|serial[ _-]?number)$/;

function classifyText(head: string): Classification {
  const simulated = head.includes(SIMULATED_MARKER);
  const lines = head.split(/\r?\n/);
  // `#` lines are comments in the inventory CSV (the simulator marks its files with one).
  const firstLine = lines.find((l) => l.trim() !== '' && !l.trimStart().startsWith('#')) ?? '';
  const cells = firstLine.split(/[,;\t]/).map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
  if (cells.length >= 3 && cells.includes('hostname') && cells.includes('pid') && cells.some((c) => CSV_SERIAL.test(c))) {
    return { kind: 'inventory-csv', reason: 'CSV whose header names hostname, pid and serial', simulated };
  }
  const nonEmpty = lines.filter((l) => l.trim() !== '');
  // The licensing messages of seed 003 §5: SMART_LIC, and the 9800-CL's unregistered-controller and AP-limit ones.
  const syslogLines = nonEmpty.filter((l) => /%(?:SMART_LIC|IOSXE_RP_EWLC_NOT|CAPWAPAC_TRACE_MSG)-\d-[A-Z0-9_]+/.test(l)).length;
  const cliMarker = CLI_MARKERS.find(([re]) => re.test(head));
  if (syslogLines > 0 && (!cliMarker || syslogLines * 2 >= nonEmpty.length)) {
    return { kind: 'syslog', reason: `${syslogLines} licensing syslog message${syslogLines === 1 ? '' : 's'}`, simulated };
  }
  if (cliMarker) return { kind: 'cli', reason: `Cisco CLI output: ${cliMarker[1]}`, simulated };
  return unknown('text that is not Cisco "show license" output, syslog or an inventory CSV');
}

/** Lines that only Cisco IOS XE licensing output prints (real samples in test/fixtures/cli*), with a label for users. */
const CLI_MARKERS: Array<[RegExp, string]> = [
  [/^\s*\S*[#>]\s*(show|license|copy|dir|configure)\b/m, 'a device prompt with a command'],
  [/Smart Licensing (Status|Tech Support|Usage Report|is (ENABLED|DISABLED)|Using Policy)/, 'a "Smart Licensing" heading'],
  [/^\s*License (Usage|Authorizations?|Reservation)\b/m, 'a "License Usage/Authorization" section'],
  [/^\s*Usage Reporting:\s*$/m, 'a "Usage Reporting:" section'],
  [/^\s*(Trust Code Installed|Policy in use|Last ACK received|Next ACK deadline)\b/m, 'licence status fields'],
  [/^\s*UDI:\s*PID:/m, 'a "UDI: PID:" line'],
  [/^\s*SlotID\s+PID\s+SN\s+UDI/m, 'the "show license udi" table'],
  [/\*{3,}\s*Event Log\s*\*{3,}/, 'the licence event log'],
  [/\bSAEVT_[A-Z_]+/, 'licence event log entries'],
  [/^\s*Message History\b/m, 'the licence message history'],
  [/^\s*Report Id[:,]/m, 'RUM report listings'],
  [/^\s*Usage Report Summary:|^\s*Total:\s*\d+,\s*Purged:/m, 'the usage report summary'],
  [/AIR License Level|No\. of APs active/, 'wireless AIR licence fields'],
  [/Cisco IOS XE Software/, '"show version" output'],
  [/Smart-license messages|smart-licensing transport/, 'Call Home transport settings'],
  [/^\s*Utility:\s*$/m, 'a "Utility:" section'],
  [/\blicense smart (import|save|transport|trust|authorization|usage|privacy|sync)\b/, '"license smart" commands'],
];

export interface ClassifiedLeaf {
  leaf: ArchiveLeaf;
  classification: Classification;
}

export interface TreeClassification extends Classification {
  leaves: ClassifiedLeaf[];
}

function manifest(folder: ArchiveFolder, name: string): string | null {
  const entry = folder.children.find((c): c is ArchiveLeaf => c.type === 'leaf' && (c.name === name || c.name.endsWith(`/${name}`)));
  if (!entry) return null;
  try {
    return utf8.decode(entry.bytes.subarray(0, SNIFF_BYTES));
  } catch {
    return null;
  }
}

/** Kind of a whole file after its archive layers are opened, plus the kind of every leaf. */
export function classifyTree(node: ArchiveNode): TreeClassification {
  const leaves: ClassifiedLeaf[] = [];
  const walk = (n: ArchiveNode) => {
    if (n.type === 'leaf') leaves.push({ leaf: n, classification: classifyLeaf(n.bytes) });
    else n.children.forEach(walk);
  };
  walk(node);
  return classifyFromLeaves(node, leaves);
}

/**
 * `classifyTree` for a file whose leaves are classified already, all of them in archive order (`leaves` of
 * archive/expand.ts): how analyse.ts classifies leaves in two workers at once.
 */
export function classifyFromLeaves(node: ArchiveNode, leaves: ClassifiedLeaf[]): TreeClassification {
  if (node.type === 'leaf') return { ...leaves[0]!.classification, leaves };
  const simulated = leaves.some((l) => l.classification.simulated);
  const jsonManifest = manifest(node, 'manifest.json');
  if (jsonManifest && /"format"\s*:\s*"slp-backup\//.test(jsonManifest)) {
    return { kind: 'backup', reason: 'archive whose manifest.json says "slp-backup"', simulated, leaves };
  }
  if (jsonManifest && /"format"\s*:\s*"slp-summary\//.test(jsonManifest)) {
    return { kind: 'license-summary', reason: 'archive whose manifest.json says "slp-summary"', simulated, leaves };
  }
  if (jsonManifest && /"format"\s*:\s*"slp-controller-usage\//.test(jsonManifest)) {
    return { kind: 'controller-report', reason: 'archive whose manifest.json says "slp-controller-usage"', simulated, leaves };
  }
  const jarManifest = manifest(node, 'manifest.mf');
  const kinds = new Set(leaves.map((l) => l.classification.kind));
  if (jarManifest && /Manifest-Version/i.test(jarManifest)) {
    if (kinds.has('ack')) return { kind: 'ack-bundle', reason: 'archive with a manifest.mf and ACK files', simulated, leaves };
    return { kind: 'upload-bundle', reason: 'archive with a JAR-style manifest.mf (CSLU / SSM On-Prem export)', simulated, leaves };
  }
  const content = leaves.filter((l) => l.classification.kind !== 'unknown');
  if (content.length > 0 && content.every((l) => l.classification.kind === 'ack')) {
    return { kind: 'ack-bundle', reason: 'archive of ACK files', simulated, leaves };
  }
  if (content.length > 0 && content.every((l) => l.classification.kind === 'license-summary')) {
    return { kind: 'license-summary', reason: 'archive of CSSM licence JSON files', simulated, leaves };
  }
  if (content.length === 0) {
    return { kind: 'unknown', reason: `an archive of ${leaves.length} file${leaves.length === 1 ? '' : 's'}, none of them a licensing file`, simulated, leaves };
  }
  return { kind: 'archive', reason: `an archive of ${leaves.length} file${leaves.length === 1 ? '' : 's'}`, simulated, leaves };
}
