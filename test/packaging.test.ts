import { readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** The package a bare specifier names: `@scope/name` or `name`, without any subpath. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** Packages the compiled gateway loads at run time (type-only imports are erased). */
function runtimeImports(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const pattern = /^\s*(?:import(?!\s+type\s)[^'"]*?from\s*|import\s*\(\s*|export\s+[^'"]*?from\s*)'([^'.][^']*)'/gm;
  for (const file of sourceFiles('src')) {
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
      const specifier = match[1]!;
      if (specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
      const name = packageOf(specifier);
      found.set(name, [...(found.get(name) ?? []), file]);
    }
  }
  return found;
}

describe('packaging: the runtime image installs production dependencies only', () => {
  it('lists every package that src/ loads at run time under dependencies', () => {
    const imports = runtimeImports();
    const missing = [...imports.keys()].filter((name) => pkg.dependencies[name] === undefined);
    expect(missing).toEqual([]);
    // The scan itself sees the gateway's imports (a scan that saw none would pass vacuously).
    expect(imports.has('graphql-yoga')).toBe(true);
    expect(imports.has('undici')).toBe(true);
  });

  it('builds dist/ before `npm start` and `npm run sandbox` run it', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.prestart).toBe('npm run build');
    expect(scripts.presandbox).toBe('npm run build');
    expect(scripts.start).toBe('exec npm run serve');
  });

  it('keeps development tools out of dependencies', () => {
    for (const tool of ['tsx', 'typescript', 'vitest', '@biomejs/biome', 'dockerfilelint', 'node']) {
      expect(pkg.dependencies[tool], tool).toBeUndefined();
    }
  });

  it('runs node as PID 1 in the runtime stage, as an unprivileged user, with the flags of npm run serve', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages).toHaveLength(2);
    const runtime = stages[1]!;
    expect(runtime).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/^USER node$/m);
    const serve = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts
      .serve!;
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(runtime)![1]!) as string[];
    expect(['exec', ...cmd].join(' ')).toBe(serve);
  });
});
