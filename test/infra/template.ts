// Reading a synthesized template: intrinsics rendered as readable strings, functions found by
// handler id, the IAM statements of a role.
import type { CfnJson, Synthesized } from './synth.js';

/** `{"Fn::GetAtt": ["Table", "Arn"]}` → `<Table.Arn>`, `{"Ref": "X"}` → `<X>`, joins concatenated, split/select spelled out. */
export function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  const v = value as Record<string, any>;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(render).join(v['Fn::Join'][0]);
  if (v['Fn::GetAtt']) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  if (v.Ref) return `<${v.Ref}>`;
  if (v['Fn::Sub']) return String(v['Fn::Sub']).replace(/\$\{([^}]+)\}/g, '<$1>');
  if (v['Fn::Split']) return `split(${v['Fn::Split'][0]}, ${render(v['Fn::Split'][1])})`;
  if (v['Fn::Select']) return `${render(v['Fn::Select'][1])}[${v['Fn::Select'][0]}]`;
  return JSON.stringify(value);
}

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, unknown>;
}

export const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The logical id of the function for a handler id (`<stack>-<handlerId>` is its name). */
export function functionId(s: Synthesized, handlerId: string): string {
  const name = `${s.stack.stackName}-${handlerId}`;
  const found = Object.entries(s.json.Resources).filter(
    ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties?.FunctionName === name,
  );
  if (found.length !== 1) throw new Error(`expected one function named ${name}, found ${found.length}`);
  return found[0]![0];
}

export function fn(s: Synthesized, handlerId: string): CfnJson {
  return s.json.Resources[functionId(s, handlerId)]!;
}

/** Every statement of the identity policies attached to a role (inline and AWS::IAM::Policy). */
export function roleStatements(s: Synthesized, roleId: string): Statement[] {
  const role = s.json.Resources[roleId]!;
  const inline = list(role.Properties?.Policies).flatMap((p: any) => p.PolicyDocument.Statement as Statement[]);
  const attached = Object.values(s.json.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && list(r.Properties?.Roles).some((ref: any) => ref.Ref === roleId))
    .flatMap((r) => r.Properties!.PolicyDocument.Statement as Statement[]);
  return [...inline, ...attached];
}

export function functionRoleId(s: Synthesized, handlerId: string): string {
  return (fn(s, handlerId).Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}

/** action → rendered resources, over all Allow statements. */
export function grantsOf(statements: Statement[]): Map<string, string[]> {
  const grants = new Map<string, string[]>();
  for (const statement of statements.filter((st) => st.Effect === 'Allow')) {
    for (const action of list(statement.Action))
      grants.set(action, [...(grants.get(action) ?? []), ...list(statement.Resource).map(render)].sort());
  }
  return grants;
}

/** Every policy document in the template: identity policies and resource policies. */
export function policyDocuments(s: Synthesized): Array<{ logicalId: string; type: string; statements: Statement[] }> {
  const docs: Array<{ logicalId: string; type: string; statements: Statement[] }> = [];
  for (const [logicalId, r] of Object.entries(s.resources)) {
    const p = r.Properties ?? {};
    if (
      ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::S3::BucketPolicy', 'AWS::SQS::QueuePolicy', 'AWS::SNS::TopicPolicy'].includes(
        r.Type,
      )
    ) {
      docs.push({ logicalId, type: r.Type, statements: p.PolicyDocument.Statement });
    }
    if (r.Type === 'AWS::IAM::Role') {
      for (const policy of list(p.Policies)) docs.push({ logicalId, type: r.Type, statements: policy.PolicyDocument.Statement });
    }
  }
  return docs;
}

/** A chain of resources that depend on each other in a circle (Ref, GetAtt, Sub, DependsOn), if any. */
export function dependencyCycle(s: Synthesized): string[] | undefined {
  const ids = new Set(Object.keys(s.json.Resources));
  const referenced = (value: unknown, found: Set<string>): Set<string> => {
    if (Array.isArray(value)) value.forEach((v) => referenced(v, found));
    else if (value && typeof value === 'object') {
      const v = value as Record<string, any>;
      if (typeof v.Ref === 'string' && ids.has(v.Ref)) found.add(v.Ref);
      if (v['Fn::GetAtt']) found.add(Array.isArray(v['Fn::GetAtt']) ? v['Fn::GetAtt'][0] : String(v['Fn::GetAtt']).split('.')[0]!);
      if (v['Fn::Sub']) {
        const text = String(Array.isArray(v['Fn::Sub']) ? v['Fn::Sub'][0] : v['Fn::Sub']);
        for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)/g)) if (ids.has(m[1]!)) found.add(m[1]!);
      }
      Object.values(v).forEach((x) => referenced(x, found));
    }
    return found;
  };
  const edges = new Map(
    [...ids].map((id) => [id, [...referenced(s.json.Resources[id]!.Properties, new Set(list(s.json.Resources[id]!.DependsOn)))]]),
  );
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    state.set(id, 'visiting');
    for (const next of edges.get(id) ?? []) {
      if (state.get(next) === 'visiting') {
        const chain = [...path, id];
        return [...chain.slice(chain.indexOf(next)), next];
      }
      if (!state.has(next)) {
        const cycle = visit(next, [...path, id]);
        if (cycle) return cycle;
      }
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const id of ids) {
    if (state.has(id)) continue;
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return undefined;
}
