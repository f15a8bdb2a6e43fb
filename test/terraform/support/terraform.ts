import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from '@cdktn/hcl2json';

export const terraformDir = resolve(import.meta.dirname, '../../../terraform');
export const repoDir = resolve(terraformDir, '..');

/** A parsed file: hcl2json's JSON, where blocks are arrays and expressions are "${...}" strings. */
export interface TfFile {
  readonly path: string;
  readonly json: Readonly<Record<string, unknown>>;
}

export interface TfResource {
  readonly file: string;
  readonly type: string;
  readonly name: string;
  /** The resource's body (attributes and nested blocks). */
  readonly body: Readonly<Record<string, unknown>>;
  /** `type.name`, as other expressions reference it. */
  readonly address: string;
}

/** Every *.tf under terraform/ (not .terraform/), relative path first. */
export function terraformFiles(dir = terraformDir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return terraformFiles(path);
    return entry.name.endsWith('.tf') ? [path] : [];
  });
}

export async function parseFile(path: string): Promise<TfFile> {
  const json = (await parse(path, readFileSync(path, 'utf8'))) as Record<string, unknown>;
  return { path: relative(repoDir, path), json };
}

let cache: Promise<TfFile[]> | undefined;

/** The configuration of terraform/ (the root module), parsed once per test file. */
export function loadTerraform(): Promise<TfFile[]> {
  cache ??= Promise.all(terraformFiles().map(parseFile));
  return cache;
}

type Blocks = Record<string, Record<string, Array<Record<string, unknown>>>>;

export function resources(files: readonly TfFile[]): TfResource[] {
  return files.flatMap((file) =>
    Object.entries((file.json['resource'] ?? {}) as Blocks).flatMap(([type, byName]) =>
      Object.entries(byName).flatMap(([name, bodies]) => bodies.map((body) => ({ file: file.path, type, name, body, address: `${type}.${name}` }))),
    ),
  );
}

/** The blocks of one kind (`variable`, `output`, `locals`…) by name, across files. */
export function blocks(files: readonly TfFile[], kind: string): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  for (const file of files) {
    for (const [name, bodies] of Object.entries((file.json[kind] ?? {}) as Record<string, Array<Record<string, unknown>>>)) {
      for (const body of bodies) found.set(name, body);
    }
  }
  return found;
}

/** Every string anywhere in a parsed value (attribute values, list items, expressions). */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Every object key anywhere in a parsed value: attribute and block names. */
export function keys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keys);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => [key, ...keys(inner)]);
  return [];
}

/** The first body of a nested block (hcl2json gives blocks as arrays). */
export function block(body: Readonly<Record<string, unknown>>, name: string): Record<string, unknown> | undefined {
  const value = body[name];
  return Array.isArray(value) ? (value[0] as Record<string, unknown> | undefined) : undefined;
}

/** IAM grants: the resources that add a member to a role on something. */
export function iamGrants(all: readonly TfResource[]): TfResource[] {
  return all.filter((resource) => /_iam_(member|binding|policy)$/.test(resource.type));
}

/** The members a grant names (member or members). */
export function grantMembers(grant: TfResource): string[] {
  return strings([grant.body['member'], grant.body['members']].filter((value) => value !== undefined));
}
