import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import type { GoogleClientOptions } from '../cloud/client-options.ts';
import { classifyGoogleError } from '../cloud/classify-google-error.ts';
import { serializeCredentials } from './app-credentials.ts';
import type { CredentialWriter } from './credential-writer.ts';

type SecretManagerOptions = NonNullable<ConstructorParameters<typeof SecretManagerServiceClient>[0]>;

export interface SecretManagerWriterOptions {
  /** `projects/P/secrets/S`: the secret Terraform created, which both services mount as a volume. */
  readonly secret: string;
  /** From `clientOptionsForEndpoint`; absent → Secret Manager itself over REST with ADC. */
  readonly clientOptions?: GoogleClientOptions;
}

/**
 * On Google Cloud: /setup adds a version to the App's secret (`secrets.addVersion`; the webhook
 * service holds roles/secretmanager.secretVersionAdder on this secret only). Services read the
 * secret through a volume, whose reads always return the latest version
 * (https://cloud.google.com/run/docs/configuring/services/secrets).
 */
export function secretManagerWriter(options: SecretManagerWriterOptions): CredentialWriter & { close(): Promise<void> } {
  // Cast: gax 5 types its auth client with its nested google-auth-library 10 (see client-options.ts).
  const client = new SecretManagerServiceClient((options.clientOptions ?? { fallback: true }) as unknown as SecretManagerOptions);
  return {
    async write(credentials) {
      try {
        await client.addSecretVersion({ parent: options.secret, payload: { data: Buffer.from(serializeCredentials(credentials), 'utf8') } });
      } catch (error) {
        throw classifyGoogleError(error, `cannot add a version to ${options.secret}`);
      }
    },
    close: () => client.close(),
  };
}
