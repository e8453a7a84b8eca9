import { GraphQLError, Kind, type ASTNode, type ValidationRule } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * Refuses input nested deeper than `maxDepth` objects and lists, in variables and in values
 * written inline, before anything runs: resolvers and validators walk input recursively, and a
 * value thousands of levels deep would exhaust the stack. Legitimate input (a filter with a few
 * levels of AND/OR/NOT, a metadata object) stays far below the limit.
 */
export function useInputDepthLimit(maxDepth: number): Plugin {
  const message = `Input is nested too deeply: at most ${maxDepth} levels of objects and lists are accepted.`;
  return {
    onParams: ({ params, setResult }) => {
      if (depthOf(params.variables) > maxDepth) {
        setResult({ errors: [createGraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } })] });
      }
    },
    onValidate: ({ addValidationRule }) => addValidationRule(inlineDepthRule(maxDepth, message)),
  };
}

/** Depth of a JSON value, walked without recursion (the value may be deeper than the stack). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [item, depth] = entry;
    if (typeof item !== 'object' || item === null) continue;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

function inlineDepthRule(maxDepth: number, message: string): ValidationRule {
  return (context) => {
    let depth = 0;
    const nested = (node: ASTNode) => node.kind === Kind.OBJECT || node.kind === Kind.LIST;
    return {
      enter: (node) => {
        if (!nested(node)) return;
        depth += 1;
        if (depth === maxDepth + 1) {
          context.reportError(new GraphQLError(message, { nodes: node, extensions: { code: 'BAD_USER_INPUT' } }));
        }
      },
      leave: (node) => {
        if (nested(node)) depth -= 1;
      },
    };
  };
}
