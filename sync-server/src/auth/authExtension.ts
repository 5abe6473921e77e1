/** Authenticates websocket connections by the access token in the URL (#4 adds revocation and membership). */
import type { Extension } from '../extension.ts';
import type { TokenService } from './tokens.ts';

export function tokenAuth(tokens: TokenService): Extension {
  return {
    name: 'token-auth',
    async onAuthenticate({ token }) {
      return token ? tokens.verify(token) : null;
    },
  };
}
