/**
 * The API reference stays complete: typedoc, run with the repo's typedoc.json, reports no warning
 * (`validation.notDocumented` makes every undocumented public symbol one), and every public function,
 * class, constructor and class method carries an `@example` (the project's rule: TSDoc with an example on every
 * public function). Converts to a project in memory; no HTML is written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  Application,
  type Comment,
  type DeclarationReflection,
  Logger,
  LogLevel,
  type ProjectReflection,
  ReferenceReflection,
  ReflectionKind,
  TSConfigReader,
  TypeDocReader,
} from 'typedoc';
import { beforeAll, describe, expect, it } from 'vitest';

const CONFIG = fileURLToPath(new URL('../../typedoc.json', import.meta.url));
const REPORT = fileURLToPath(new URL('../../API.md', import.meta.url));

/**
 * Names that are internal helpers: none may be exported by any entry (issue 14). The committed API.md is
 * the full list; this guards the ones that were once exported by mistake.
 */
const INTERNAL = [
  'sortParams',
  'sortedKeys',
  'getDefaultHmac',
  'redactSecrets',
  'redactDeep',
  'jwtGatewayPayload',
  'JWT_HS256_HEADER',
  'classifyThbRefusal',
  'LIMITS',
  'Created',
];

/** The API report: every entry point and what it exports, by kind, in a stable order. */
function apiReport(project: ProjectReflection): string {
  const lines = [
    '# API report',
    '',
    'What each entry point of the package exports, as typedoc sees it (`npm run api-report` writes this',
    'file; `npm test` fails when it differs from the code). A change to this file is a change to the public',
    'API: it belongs in CHANGELOG.md.',
  ];
  for (const entry of project.children ?? []) {
    const specifier = entry.name === 'index' ? 'thaipay' : `thaipay/${entry.name}`;
    lines.push('', `## \`${specifier}\``, '');
    const rows = (entry.children ?? []).map((child) => {
      // A name documented in another entry is a reference here: name the kind of what it points to.
      const target = child instanceof ReferenceReflection ? child.tryGetTargetReflectionDeep() : child;
      const kind = ReflectionKind.singularString((target ?? child).kind).toLowerCase();
      return `- ${kind} \`${child.name}\``;
    });
    lines.push(...rows.sort((a, b) => a.localeCompare(b, 'en')));
  }
  return `${lines.join('\n')}\n`;
}

/** Keeps every warning and error typedoc logs, so a failure can quote them. */
class CollectingLogger extends Logger {
  readonly messages: string[] = [];

  override log(message: string, level: LogLevel): void {
    super.log(message, level);
    if (level >= LogLevel.Warn) this.messages.push(`[${LogLevel[level]}] ${message}`);
  }
}

/** Reflections that must show how they are used: functions, classes, and the public members of classes. */
const NEEDS_EXAMPLE =
  ReflectionKind.Function | ReflectionKind.Class | ReflectionKind.Constructor | ReflectionKind.Method;

/** `@example` blocks of a reflection: its own comment and its signatures' (functions and methods keep theirs there). */
function examples(reflection: DeclarationReflection): string[] {
  const comments: (Comment | undefined)[] = [
    reflection.comment,
    ...(reflection.signatures ?? []).map((signature) => signature.comment),
  ];
  return comments.flatMap((comment) =>
    (comment?.blockTags ?? [])
      .filter((tag) => tag.tag === '@example')
      .map((tag) => tag.content.map((part) => part.text).join('')),
  );
}

/**
 * Whether a reflection is ours to document: a function or class, or a public constructor or method of a
 * class. Members that come from the standard library (`Error.captureStackTrace`) and the methods of
 * interfaces (which users implement, not call) are left out.
 */
function isPublicApi(reflection: DeclarationReflection): boolean {
  if (reflection.flags.isPrivate || reflection.flags.isProtected || reflection.flags.isExternal) return false;
  if (reflection.kindOf(ReflectionKind.Function | ReflectionKind.Class)) return true;
  return reflection.parent?.kindOf(ReflectionKind.Class) === true;
}

describe('API reference (typedoc)', () => {
  let app: Application;
  let logger: CollectingLogger;
  let project: ProjectReflection | undefined;

  beforeAll(async () => {
    app = await Application.bootstrap(
      // Type errors are the typecheck step's business; here only the documentation is judged.
      { options: CONFIG, skipErrorChecking: true, logLevel: LogLevel.Warn },
      [new TypeDocReader(), new TSConfigReader()],
    );
    expect(app.logger.hasErrors() || app.logger.hasWarnings(), 'typedoc.json reads without a warning').toBe(
      false,
    );
    logger = new CollectingLogger();
    app.logger = logger;
    project = await app.convert();
    if (project) app.validate(project);
  }, 120_000);

  it('converts the entry points and validates with no warning and no error', () => {
    expect(project, logger.messages.join('\n')).toBeDefined();
    expect(logger.messages, `typedoc reported:\n${logger.messages.join('\n')}`).toEqual([]);
    expect(logger.warningCount).toBe(0);
    expect(logger.errorCount).toBe(0);
  });

  it('has an @example with a code block on every public function, class, constructor and class method', () => {
    if (!project) throw new Error(`typedoc did not convert:\n${logger.messages.join('\n')}`);
    const checked = (project.getReflectionsByKind(NEEDS_EXAMPLE) as DeclarationReflection[]).filter(
      isPublicApi,
    );
    const names = checked.map((r) => r.getFriendlyFullName());
    // Guards against a vacuous pass (an entry point dropped, a kind filter gone wrong).
    expect(names).toEqual(
      expect.arrayContaining([
        'index.JwtGatewayClient.createDeposit',
        'index.ThbCollectClient.constructor',
        'index.verifyThbNotification',
        'qr.buildPromptPayPayload',
        'testing.createSandbox',
        'redis.createRedisDedupeStore',
      ]),
    );
    const offenders = checked
      .filter((r) => !examples(r).some((text) => text.includes('```')))
      .map((r) => `${ReflectionKind.singularString(r.kind)} ${r.getFriendlyFullName()}`);
    expect(offenders, `missing an @example with a code block:\n${offenders.join('\n')}`).toEqual([]);
  });

  it('exports exactly what API.md lists, and no internal helper', () => {
    if (!project) throw new Error(`typedoc did not convert:\n${logger.messages.join('\n')}`);
    const report = apiReport(project);
    if (process.env.THAIPAY_WRITE_API_REPORT === '1') writeFileSync(REPORT, report);
    const exported = (project.children ?? []).flatMap((entry) => (entry.children ?? []).map((c) => c.name));
    expect(exported.filter((name) => INTERNAL.includes(name))).toEqual([]);
    expect(exported).toContain('JwtGatewayClient'); // a vacuous report would pass the comparison below
    expect(report, 'the public API changed: run `npm run api-report` and review API.md').toBe(
      readFileSync(REPORT, 'utf8'),
    );
  });
});
