// Five characters are all HTML needs escaped in text and double-quoted attributes: the printable
// pages the server renders (coordination notices, visit receipts) write every value through this.
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
