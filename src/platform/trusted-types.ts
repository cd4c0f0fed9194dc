// Trusted Types: on a page whose CSP says `require-trusted-types-for 'script'`,
// `new Worker(url)` takes a TrustedScriptURL and DOMParser a TrustedHTML, not strings.
// Our one policy, named 'pagesense' (list it in a `trusted-types` directive if the
// page has one), vouches for script URLs on the page's own origin only, and for HTML
// only on its way into DOMParser: the policy object never leaves this module, and a
// parsed document is inert (no script runs, nothing loads; we read its text).

interface Policy {
  createScriptURL(input: string): unknown;
  createHTML(input: string): unknown;
}
interface TrustedTypesLike {
  createPolicy(name: string, rules: { createScriptURL(input: string): string; createHTML(input: string): string }): Policy;
}

export const TRUSTED_TYPES_POLICY = 'pagesense';

let policy: Policy | null | undefined;

function sameOriginOnly(input: string): string {
  const url = new URL(input, globalThis.location?.href);
  if (url.origin !== globalThis.location?.origin) throw new TypeError(`pagesense loads scripts from this page's origin only, not ${url.origin}`);
  return url.href;
}

function ourPolicy(): Policy | null {
  if (policy === undefined) {
    const tt = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes;
    try {
      policy = tt ? tt.createPolicy(TRUSTED_TYPES_POLICY, { createScriptURL: sameOriginOnly, createHTML: (html) => html }) : null;
    } catch {
      // The page's `trusted-types` directive does not list 'pagesense': its default policy, if any, decides.
      policy = null;
    }
  }
  return policy;
}

/** The URL as a TrustedScriptURL where the page enforces Trusted Types; as given elsewhere. */
export function trustedScriptUrl(href: string): string {
  const p = ourPolicy();
  return p ? (p.createScriptURL(href) as string) : href;
}

/** HTML parsed into an inert document (no script runs, nothing loads), also where the page enforces Trusted Types. */
export function parseInertHtml(html: string): Document {
  const p = ourPolicy();
  return new DOMParser().parseFromString(p ? (p.createHTML(html) as string) : html, 'text/html');
}
