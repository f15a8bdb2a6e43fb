import { Firestore, type Settings } from '@google-cloud/firestore';
import { PassThroughClient } from 'google-auth-library';

export interface FirestoreTarget {
  readonly project: string;
  readonly database: string;
  /** null → Firestore itself with Application Default Credentials; an http:// URL → the simulator, no credentials. */
  readonly apiEndpoint: string | null;
}

/**
 * A Firestore client over REST (`preferRest`): the HTTP/1.1 transport the simulator speaks, and
 * on Cloud Run it opens no gRPC channel for a service that makes a few calls per job. For an
 * http:// endpoint the host and port go in `host` with `ssl: false` (the library then speaks
 * plain HTTP) and `authClient` is a PassThroughClient, so no Google credentials are looked for.
 */
export function createFirestore(target: FirestoreTarget): Firestore {
  const settings: Settings = { projectId: target.project, databaseId: target.database, preferRest: true };
  if (target.apiEndpoint === null) return new Firestore(settings);
  const url = new URL(target.apiEndpoint);
  const secure = url.protocol === 'https:';
  const host = `${url.hostname}:${url.port === '' ? (secure ? 443 : 80) : url.port}`;
  // `authClient` goes through to the generated client, as for the Compute clients.
  return new Firestore({ ...settings, host, ssl: secure, ...(secure ? {} : { authClient: new PassThroughClient() }) });
}
