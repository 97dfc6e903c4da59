// Synthesizes the Baton CDK app the way `cdk synth` does (cdk.json's context plus -c settings),
// in process. Bundling is skipped by default (the template does not depend on bundle contents, and
// bundles.test.ts builds and loads the real ones), so a synth takes seconds.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnResource, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { buildBatonApp } from '../../infra/baton-app.js';
import type { BatonStack } from '../../infra/baton-stack.js';
import { REPO_ROOT } from '../../infra/constructs/baton-function.js';

export const CDK_JSON = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { app: string; context: Record<string, unknown> };

export interface Synthesized {
  app: App;
  stack: BatonStack;
  assembly: CloudAssembly;
  template: Template;
  json: {
    Resources: Record<string, CfnJson>;
    Outputs: Record<string, { Value: unknown; Description?: string }>;
    Rules?: Record<string, unknown>;
  };
  /** Each nested stack's template, its parameters replaced by what the parent passes (a Ref to a parent resource). */
  nested: Array<{ path: string; json: { Resources: Record<string, CfnJson> }; template: Template }>;
  /** The parent's resources and every nested stack's, as one map (logical ids are unique across them). */
  resources: Record<string, CfnJson>;
}

export interface CfnJson {
  Type: string;
  Properties?: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: string[];
}

const outdirs: string[] = [];

/** Deletes the cloud assemblies this test file synthesized (call from afterAll). */
export function removeSynthesized(): void {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The context an operator would pass with -c, on top of cdk.json. */
export function synthesize(
  context: Record<string, unknown>,
  options: { bundle?: boolean; modify?: (stack: BatonStack) => void } = {},
): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'baton-cdk-'));
  outdirs.push(outdir);
  const app = new App({
    outdir,
    context: { ...CDK_JSON.context, ...context, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  });
  const stack = buildBatonApp(app);
  options.modify?.(stack);
  const assembly = app.synth();
  const json = assembly.getStackByName(stack.stackName).template as Synthesized['json'];
  const nested = stack.node
    .findAll()
    .filter((c): c is NestedStack => NestedStack.isNestedStack(c))
    .map((n) => {
      const resourceId = stack.resolve(n.nestedStackResource!.logicalId) as string;
      const parameters = (json.Resources[resourceId]!.Properties!.Parameters ?? {}) as Record<string, unknown>;
      const raw = JSON.parse(readFileSync(join(assembly.directory, n.templateFile), 'utf8')) as { Resources: Record<string, CfnJson> };
      const resolved = substituteParameters(raw, parameters) as { Resources: Record<string, CfnJson> };
      return { path: n.node.path, json: resolved, template: Template.fromJSON(resolved) };
    });
  const resources: Record<string, CfnJson> = { ...json.Resources };
  for (const n of nested) {
    for (const [id, r] of Object.entries(n.json.Resources)) {
      if (resources[id]) throw new Error(`logical id ${id} is in two templates`);
      resources[id] = r;
    }
  }
  return { app, stack, assembly, template: Template.fromJSON(json), json, nested, resources };
}

/** `{"Ref": "<parameter>"}` → what the parent passes for it. */
function substituteParameters(value: unknown, parameters: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => substituteParameters(v, parameters));
  if (!value || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string' && v.Ref in parameters) return parameters[v.Ref];
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substituteParameters(x, parameters)]));
}

/** The resources of one type, by logical id, in the stack and its nested stacks. */
export function resourcesOf(s: Synthesized, type: string): Array<[string, CfnJson]> {
  return Object.entries(s.resources).filter(([, r]) => r.Type === type);
}

export interface Acknowledgment {
  path: string;
  id: string;
  reason: string;
  /** CloudFormation resources the acknowledgment covers (the construct and everything under it). */
  resources: number;
  onStack: boolean;
}

/** Every Validations.of(…).acknowledge(…) in the app (cdk-nag suppressions), where it applies. */
export function acknowledgments(app: App): Acknowledgment[] {
  const found: Acknowledgment[] = [];
  for (const construct of app.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ path: construct.node.path, id, reason, resources: cfnResourcesUnder(construct), onStack: Stack.isStack(construct) });
      }
    }
  }
  return found;
}

const cfnResourcesUnder = (construct: IConstruct) => construct.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;
