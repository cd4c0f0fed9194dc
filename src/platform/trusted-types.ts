// Trusted Types: on a page whose CSP says `require-trusted-types-for 'script'`,
// `new Worker(url)` and a script's `src` take a TrustedScriptURL, not a string. Our one
// policy, named 'pagesense' (list it in a `trusted-types` directive if the page has
// one), vouches only for URLs on the page's own origin.

interface TrustedTypesLike {
  createPolicy(name: string, rules: { createScriptURL(input: string): string }): { createScriptURL(input: string): unknown };
}

export const TRUSTED_TYPES_POLICY = 'pagesense';

let policy: { createScriptURL(input: string): unknown } | null | undefined;

function sameOriginOnly(input: string): string {
  const url = new URL(input, globalThis.location?.href);
  if (url.origin !== globalThis.location?.origin) throw new TypeError(`pagesense loads scripts from this page's origin only, not ${url.origin}`);
  return url.href;
}

/** The URL as a TrustedScriptURL where the page enforces Trusted Types; as given elsewhere. */
export function trustedScriptUrl(href: string): string {
  if (policy === undefined) {
    const tt = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes;
    try {
      policy = tt ? tt.createPolicy(TRUSTED_TYPES_POLICY, { createScriptURL: sameOriginOnly }) : null;
    } catch {
      // The page's `trusted-types` directive does not list 'pagesense': its default policy, if any, decides.
      policy = null;
    }
  }
  return policy ? (policy.createScriptURL(href) as string) : href;
}
