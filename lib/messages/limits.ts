/** Bounds on what a content script may send: a page can be hostile and huge. */
export const MAX_RESOURCES_PER_MESSAGE = 500;
export const MAX_URL_LENGTH = 16_384;
