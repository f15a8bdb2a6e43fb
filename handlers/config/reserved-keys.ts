/**
 * Instance label keys the service sets on every runner VM: the reaper, the runner cap and the cost
 * reports read them, so a template's `vmLabels` may not set them.
 */
export const ownLabelKeys: readonly string[] = ['managed-by', 'template', 'job-id', 'run-attempt', 'execution', 'owner', 'repository', 'manual', 'warm-seat'];

/**
 * Metadata keys the service sets (or that would change what the VM runs or who may log in), so a
 * template's `metadata` may not set them. `runner-sha256-*` is a prefix: one key per asset.
 */
export const reservedMetadataKeys: readonly string[] = [
  'startup-script',
  'startup-script-url',
  'jit-config',
  'callback-url',
  'idle-timeout',
  'boot-deadline',
  'runner-scope',
  'installation-id',
  'runner-version',
  'block-project-ssh-keys',
  'enable-oslogin',
  'VmDnsSetting',
];
export const reservedMetadataPrefixes: readonly string[] = ['runner-sha256-'];

/** Metadata keys are case-sensitive on Compute Engine; the guest agents read some case-insensitively, so compare without case. */
export function isReservedMetadataKey(key: string): boolean {
  const lower = key.toLowerCase();
  return reservedMetadataKeys.some((reserved) => reserved.toLowerCase() === lower) || reservedMetadataPrefixes.some((prefix) => lower.startsWith(prefix));
}
