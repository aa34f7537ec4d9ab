/**
 * The multipart form Chatwoot expects for uploads: plain fields as strings, objects as JSON text
 * (as Rails parses `content_attributes`), and one `attachments[]` part per file.
 */
import { isBlob } from "./validate.js";
import type { AttachmentInput } from "../types.js";

/** Any family's create body with files (the Application API's, a contact's). */
export function toFormData(body: { attachments?: ReadonlyArray<AttachmentInput | string> | undefined }): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(body)) {
    if (key === "attachments" || value === undefined || value === null) continue;
    form.append(key, typeof value === "object" ? JSON.stringify(value) : String(value));
  }
  body.attachments?.forEach((attachment, index) => {
    if (typeof attachment === "string") form.append("attachments[]", attachment);
    else form.append("attachments[]", ...filePart(attachment, index));
  });
  return form;
}

function filePart(attachment: AttachmentInput, index: number): [Blob, string] {
  if (isBlob(attachment)) {
    const name = (attachment as Partial<File>).name;
    return [attachment, name || `attachment-${index + 1}${extensionOf(attachment.type)}`];
  }
  const { data, filename, contentType } = attachment;
  const type = contentType ?? (isBlob(data) && data.type ? data.type : guessType(filename));
  // A Uint8Array over a SharedArrayBuffer is not a BlobPart in the DOM types; copying is cheap next to the upload.
  const bytes = isBlob(data) ? data : data instanceof ArrayBuffer ? data : new Uint8Array(data);
  return [new Blob([bytes as BlobPart], { type }), filename];
}

// Chatwoot decides image/video/audio/file from the MIME type, so a bare application/octet-stream
// would turn a photo into a "file" attachment.
const TYPES: Record<string, string> = {
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp",
  bmp: "image/bmp", mp4: "video/mp4", webm: "video/webm", mov: "video/quicktime", ogg: "audio/ogg",
  mp3: "audio/mpeg", wav: "audio/wav", m4a: "audio/mp4", pdf: "application/pdf", txt: "text/plain",
  csv: "text/csv", json: "application/json", zip: "application/zip",
};

function guessType(filename: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() ?? "";
  return TYPES[extension] ?? "application/octet-stream";
}

function extensionOf(type: string): string {
  const found = Object.entries(TYPES).find(([, mime]) => mime === type);
  return found ? `.${found[0]}` : "";
}
