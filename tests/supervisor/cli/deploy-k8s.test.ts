// examples/deploy/k8s runs as shipped: every manifest is valid against the Kubernetes API schema (kubernetes-models,
// offline), and every file a manifest mounts or names (a ConfigMap key, a subPath, --config, the config's
// sync.pylantirConfig) is in the ConfigMap, every claim is shipped, and worklist.db sits on the volume the Pylantir
// server's pod shares, with the podAffinity that puts both on the ReadWriteOnce volume's node.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1';
import { CronJob, type ICronJob } from 'kubernetes-models/batch/v1';
import { ConfigMap, PersistentVolumeClaim, type IConfigMap, type IPersistentVolumeClaim, type IPodSpec } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { parseConfig } from '../../../supervisor/config/load-config.ts';
import { loadPylantirConfig } from '../../../sync-runner/config/pylantir-config.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const K8S = join(ROOT, 'examples', 'deploy', 'k8s');
const PYLANTIR_POD_LABEL = { key: 'app.kubernetes.io/name', value: 'pylantir' };

interface Manifest { readonly file: string; readonly kind: string; readonly doc: Record<string, unknown> }

function manifests(): Manifest[] {
  return readdirSync(K8S).filter((name) => name.endsWith('.yaml')).flatMap((name) => {
    const docs = parseAllDocuments(readFileSync(join(K8S, name), 'utf8'));
    assert.ok(Array.isArray(docs), `${name} parses as YAML`);
    return docs.map((doc) => {
      assert.deepEqual(doc.errors, [], `${name}: YAML errors`);
      const value = doc.toJS() as Record<string, unknown>;
      return { file: name, kind: String(value.kind), doc: value };
    });
  });
}

/** The API schema of each kind we ship; a kind outside it fails the test, so a new one gets a validator here. */
function validated(manifest: Manifest): ConfigMap | PersistentVolumeClaim | Deployment | CronJob {
  const { kind, doc } = manifest;
  const model = kind === 'ConfigMap' ? new ConfigMap(doc as unknown as IConfigMap)
    : kind === 'PersistentVolumeClaim' ? new PersistentVolumeClaim(doc as unknown as IPersistentVolumeClaim)
      : kind === 'Deployment' ? new Deployment(doc as unknown as IDeployment)
        : kind === 'CronJob' ? new CronJob(doc as unknown as ICronJob)
          : assert.fail(`${manifest.file}: no API schema wired for kind ${kind}`);
  assert.equal(`${model.apiVersion}/${model.kind}`, `${String(doc.apiVersion)}/${kind}`, `${manifest.file}: apiVersion`);
  model.validate();
  return model;
}

test('every manifest in examples/deploy/k8s is valid against the Kubernetes API schema', () => {
  const all = manifests();
  assert.deepEqual([...new Set(all.map((m) => m.kind))].sort(), ['ConfigMap', 'CronJob', 'Deployment', 'PersistentVolumeClaim']);
  for (const manifest of all) {
    assert.doesNotThrow(() => validated(manifest), `${manifest.file} (${manifest.kind})`);
  }
  // The validator does catch a wrong type: a string port in a copy of the Deployment.
  const deployment = all.find((m) => m.kind === 'Deployment');
  assert.ok(deployment);
  const broken = structuredClone(deployment.doc) as unknown as IDeployment;
  const container = broken.spec?.template.spec?.containers[0];
  assert.ok(container);
  (container.ports ?? []).splice(0, 1, { containerPort: 'status' as unknown as number });
  assert.throws(() => new Deployment(broken).validate(), /containerPort must be integer/);
});

interface Mount { readonly path: string; readonly configMap?: string; readonly claim?: string; readonly subPath?: string }

/** What a file path in a container resolves to: a ConfigMap key or a claim, by the longest mount path above it. */
function mountOf(mounts: readonly Mount[], file: string): Mount | undefined {
  return mounts.filter((m) => file === m.path || file.startsWith(`${m.path}/`)).sort((a, b) => b.path.length - a.path.length)[0];
}

test('every file a manifest names is in the ConfigMap, every claim is shipped, and worklist.db is shared on the Pylantir pod\'s node', async () => {
  const all = manifests().map((m) => ({ ...m, model: validated(m) }));
  const configMaps = new Map(all.flatMap((m) => (m.model instanceof ConfigMap ? [[m.model.metadata?.name ?? '', m.model.data ?? {}] as const] : [])));
  const claims = new Map(all.flatMap((m) => (m.model instanceof PersistentVolumeClaim ? [[m.model.metadata?.name ?? '', m.model.spec?.accessModes ?? []] as const] : [])));
  const pods: Array<[string, IPodSpec]> = all.flatMap((m): Array<[string, IPodSpec]> => {
    if (m.model instanceof Deployment && m.model.spec?.template.spec) return [[m.file, m.model.spec.template.spec]];
    if (m.model instanceof CronJob && m.model.spec?.jobTemplate.spec?.template.spec) return [[m.file, m.model.spec.jobTemplate.spec.template.spec]];
    return [];
  });
  assert.equal(pods.length, 2, 'the CronJob and the Deployment');
  const dir = await tempDir();

  for (const [file, pod] of pods) {
    const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
    for (const volume of volumes.values()) {
      if (volume.configMap) {
        const keys = configMaps.get(volume.configMap.name ?? '');
        assert.ok(keys, `${file}: volume ${volume.name} mounts ConfigMap ${volume.configMap.name}, which is not shipped`);
        for (const item of volume.configMap.items ?? []) assert.ok(item.key in keys, `${file}: ConfigMap key ${item.key}`);
      }
      if (volume.persistentVolumeClaim) assert.ok(claims.has(volume.persistentVolumeClaim.claimName), `${file}: claim ${volume.persistentVolumeClaim.claimName} is not shipped`);
    }
    for (const container of pod.containers) {
      const mounts: Mount[] = (container.volumeMounts ?? []).map((m) => {
        const volume = volumes.get(m.name);
        assert.ok(volume, `${file}: volumeMount ${m.name} has no volume`);
        return { path: m.mountPath, configMap: volume.configMap?.name, claim: volume.persistentVolumeClaim?.claimName, subPath: m.subPath };
      });
      /** The text of a file the container reads from a ConfigMap, failing if it is not a key there. */
      const configMapFile = (path: string, what: string): string => {
        const mount = mountOf(mounts, path);
        assert.ok(mount?.configMap, `${file}: ${what} ${path} is not on a ConfigMap mount`);
        const keys = configMaps.get(mount.configMap) ?? {};
        const key = mount.subPath ?? posix.relative(mount.path, path);
        assert.ok(key in keys, `${file}: ${what} ${path} needs the key "${key}" in ConfigMap ${mount.configMap}; it has ${Object.keys(keys).join(', ')}`);
        return keys[key] ?? '';
      };
      for (const mount of mounts) if (mount.subPath && mount.configMap) configMapFile(mount.path, 'subPath mount');

      const argv = [...(container.command ?? []), ...(container.args ?? [])];
      const configPath = argv[argv.indexOf('--config') + 1];
      assert.ok(argv.includes('--config') && configPath, `${file}: the container names its --config`);
      for (const word of argv.filter((w) => w.startsWith('/etc/'))) configMapFile(word, 'argument');
      const config = parseConfig(JSON.parse(configMapFile(configPath, '--config')), { file: configPath, cwd: ROOT });
      assert.ok(mountOf(mounts, config.dataDir)?.claim, `${file}: dataDir ${config.dataDir} is on a persistent volume`);

      const pylantirText = configMapFile(config.sync.pylantirConfig, 'sync.pylantirConfig');
      const pylantirFile = join(dir, 'pylantir-config.json');
      await writeFile(pylantirFile, pylantirText);
      const pylantir = await loadPylantirConfig(pylantirFile, { cwd: '/opt/sync-supervisor', home: '/var/lib/sync-supervisor' });
      assert.ok(pylantir.sources.some((s) => s.enabled), `${file}: the Pylantir config has an enabled source`);
      const worklist = mountOf(mounts, pylantir.dbPath);
      assert.ok(worklist?.claim, `${file}: db_path ${pylantir.dbPath} is on a persistent volume the Pylantir server can share`);
      assert.notEqual(worklist.claim, mountOf(mounts, config.dataDir)?.claim, `${file}: worklist.db on its own claim, not in the supervisor's data dir`);

      if ((claims.get(worklist.claim) ?? []).includes('ReadWriteOnce')) {
        const terms = pod.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
        assert.ok(
          terms.some((t) => t.topologyKey === 'kubernetes.io/hostname' && t.labelSelector?.matchLabels?.[PYLANTIR_POD_LABEL.key] === PYLANTIR_POD_LABEL.value),
          `${file}: a ReadWriteOnce worklist volume needs podAffinity to the Pylantir pod (${PYLANTIR_POD_LABEL.key}=${PYLANTIR_POD_LABEL.value}) by kubernetes.io/hostname`,
        );
      }
    }
  }
});
