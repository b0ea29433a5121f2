/** `scheme://user:password@host` → `scheme://***@host`, wherever such a URL appears in a text. */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s@/?#"']+@/gi;

/** The text with the credentials of every URL in it hidden: for logs and error messages. */
export function redactUrls(text: string): string {
  return text.replace(USERINFO, '$1***@');
}
