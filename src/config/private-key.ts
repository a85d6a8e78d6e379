import { createPrivateKey } from 'node:crypto';

/**
 * Why `text` cannot sign a GitHub App's tokens, or undefined when it can: GitHub hands out RSA keys in PEM
 * (PKCS#1 or PKCS#8). Checked at start, so a wrong key is a config error rather than every self-heal attempt
 * failing later. Parsing is pure computation: no file or network is touched.
 */
export function privateKeyProblem(text: string): string | undefined {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    return 'not a PEM private key (expected -----BEGIN ... PRIVATE KEY-----)';
  }
  let type: string | undefined;
  try {
    type = createPrivateKey(text).asymmetricKeyType;
  } catch {
    return 'a PEM private key that cannot be read (damaged, or encrypted with a passphrase)';
  }
  if (type !== 'rsa') return `a ${type ?? 'non-RSA'} key: GitHub App keys are RSA`;
  return undefined;
}
