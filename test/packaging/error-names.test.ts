/**
 * Error names in the BUILT package (issue 12, finding 9): the bundler renamed `InvalidRequestError` to
 * `_InvalidRequestError` (a class naming itself in its body), so `err.name` checks and logs were wrong
 * in what users install. Every entry of package.json `exports`, as ESM (`import`) and as CJS
 * (`require`): every exported error class's `name` is the name it is exported under, and so is the
 * `name` of an instance.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDist, packageEntries, packageFile } from '../runtimes/dist';

beforeAll(() => ensureDist(), 180_000);

const require = createRequire(import.meta.url);

type ErrorClass = new (...args: unknown[]) => Error;

/** Constructor arguments for the classes whose first argument is not a message. */
const ARGUMENTS: Record<string, unknown[]> = {
  InvalidRequestError: [[{ field: 'm', rule: 'is wrong' }]],
  OrderStatusUnknownError: ['m', { orderId: 'order-1' }],
  SandboxError: ['m', 404],
};

/** Every export of a module that is an Error class, by the name it is exported under. */
function errorClasses(module: Record<string, unknown>): Array<[string, ErrorClass]> {
  return Object.entries(module).filter(
    (entry): entry is [string, ErrorClass] =>
      typeof entry[1] === 'function' && (entry[1] as { prototype?: unknown }).prototype instanceof Error,
  );
}

/** What each class says about its name: the class's own, an instance's, and the instance's JSON. */
function names(classes: Array<[string, ErrorClass]>): Array<[string, string, string, unknown]> {
  return classes.map(([exported, Class]) => {
    const instance = new Class(...(ARGUMENTS[exported] ?? ['m']));
    const json = (instance as { toJSON?: () => { name: string } }).toJSON?.().name;
    return [exported, Class.name, instance.name, json ?? exported];
  });
}

const ENTRIES = packageEntries();

describe('error names in the built package', () => {
  it('covers every entry of package.json exports', () => {
    expect(ENTRIES.map((entry) => entry.subpath)).toEqual([
      '.',
      './jwt-gateway',
      './thb-collect',
      './banks',
      './qr',
      './testing',
      './redis',
      './postgres',
      './otel',
    ]);
  });

  it.each(ENTRIES.map((entry) => [entry.subpath, entry.target] as const))(
    '%s: ESM and CJS classes and instances are named as exported',
    async (_subpath, target) => {
      const esm = (await import(pathToFileURL(packageFile(target.import.default)).href)) as Record<
        string,
        unknown
      >;
      const cjs = require(packageFile(target.require.default)) as Record<string, unknown>;
      const esmClasses = errorClasses(esm);
      const cjsClasses = errorClasses(cjs);
      expect(cjsClasses.map(([name]) => name).sort()).toEqual(esmClasses.map(([name]) => name).sort());
      for (const [exported, className, instanceName, jsonName] of [
        ...names(esmClasses),
        ...names(cjsClasses),
      ]) {
        expect({ exported, className, instanceName, jsonName }).toEqual({
          exported,
          className: exported,
          instanceName: exported,
          jsonName: exported,
        });
      }
    },
  );

  it('the root entry carries the whole hierarchy, and InvalidRequestError.field names its error too', async () => {
    const root = (await import(pathToFileURL(packageFile('./dist/index.js')).href)) as Record<
      string,
      unknown
    >;
    const names = errorClasses(root)
      .map(([name]) => name)
      .sort();
    expect(names).toEqual([
      'ApiError',
      'AuthenticationError',
      'ConnectionError',
      'DuplicateOrderError',
      'InvalidRequestError',
      'OrderStatusUnknownError',
      'PermissionError',
      'ResponseVerificationError',
      'SignatureError',
      'ThaiPayError',
      'TimeoutError',
      'WebhookVerificationError',
    ]);
    const { InvalidRequestError } = root as { InvalidRequestError: { field(f: string, r: string): Error } };
    expect(InvalidRequestError.field('amount', 'must be positive').name).toBe('InvalidRequestError');
    const cjs = require(packageFile('./dist/index.cjs')) as typeof root;
    const cjsError = (cjs as { InvalidRequestError: { field(f: string, r: string): Error } })
      .InvalidRequestError;
    expect(cjsError.field('amount', 'must be positive').name).toBe('InvalidRequestError');
  });
});
