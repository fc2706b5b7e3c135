/**
 * The preview a sender puts inside an image's pointer (docs/design/EVERYDAY.md, "Attachments"):
 * a JPEG of at most 16 KiB whose longest side is 320 px (never enlarged), and the image's size
 * in pixels, so that the receiver shows it inline before and without any download.
 *
 * Only the raster types of `INLINE_IMAGE_TYPES` are decoded (never SVG). A file that does not
 * decode as an image is still sent, as a plain file: no preview, 0 x 0.
 */

import { MAX_THUMBNAIL_BYTES } from '../../protocol/limits.js';
import { isInlineImage } from './names.js';

export const THUMBNAIL_SIDE = 320;
/** The pointer carries width and height as u16. */
const MAX_DIMENSION = 65_535;
const QUALITIES = [0.82, 0.7, 0.55, 0.4, 0.28];
const NO_PREVIEW = Object.freeze({ width: 0, height: 0, thumbnail: new Uint8Array(0) });

/** `{ width, height, thumbnail }` for `file` of `contentType`; 0 x 0 and no thumbnail when not an image. */
export async function imagePreview(file, contentType) {
  if (!isInlineImage(contentType)) return NO_PREVIEW;
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return NO_PREVIEW;
  }
  try {
    const { width, height } = pointerSize(bitmap.width, bitmap.height);
    const thumbnail = await encodeThumbnail(bitmap);
    return thumbnail ? { width, height, thumbnail } : { width, height, thumbnail: new Uint8Array(0) };
  } finally {
    bitmap.close();
  }
}

/** The image's size as u16 values, scaled together if a side is larger than the pointer can say. */
function pointerSize(width, height) {
  const scale = Math.min(1, MAX_DIMENSION / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The largest JPEG that fits 16 KiB: lower quality first, then a smaller picture. */
async function encodeThumbnail(bitmap) {
  const scale = Math.min(1, THUMBNAIL_SIDE / Math.max(bitmap.width, bitmap.height));
  let width = Math.max(1, Math.round(bitmap.width * scale));
  let height = Math.max(1, Math.round(bitmap.height * scale));
  while (width >= 16 || height >= 16) {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    // JPEG has no transparency: transparent pixels become white, as on a page.
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
    for (const quality of QUALITIES) {
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
      if (blob.size <= MAX_THUMBNAIL_BYTES) return new Uint8Array(await blob.arrayBuffer());
    }
    width = Math.max(1, Math.round(width * 0.7));
    height = Math.max(1, Math.round(height * 0.7));
  }
  return null;
}
