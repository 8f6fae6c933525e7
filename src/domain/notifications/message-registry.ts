import {
  clinicVariables,
  languages,
  type MessageDefinition,
  type MessageResolver,
  type MessageType,
} from './messages.ts';
import { templateIssues } from './render.ts';

/** Made-up clinic details for the template preview (the clinic's own replace them when known). */
const clinicExamples: Record<string, string> = {
  clinicName: 'Riverside Physio',
  clinicPhone: '+44 20 7946 0000',
  address: '1 River Street',
};

/**
 * The message types the app can send, as the areas registered them (each with its resolver):
 * the dispatcher, the templates and the staff template settings read it. Nothing here names
 * another area's message. A definition is checked when it is registered, so a mistake in an
 * area's shipped wording stops the app at start instead of reaching a patient.
 */
export function messageRegistry() {
  const byType = new Map<MessageType, { definition: MessageDefinition; resolver: MessageResolver }>();
  const examples: Record<string, string> = { ...clinicExamples };

  return {
    /** Adds an area's message types and their resolver (areas.ts, once every area is built). */
    register(resolver: MessageResolver): void {
      for (const definition of resolver.messages) {
        if (byType.has(definition.type)) throw new Error(`message type ${definition.type} has two resolvers`);
        checkDefinition(definition);
        byType.set(definition.type, { definition, resolver });
        for (const [name, value] of Object.entries(definition.examples)) examples[name] ??= value;
      }
    },

    /** The type's definition, or undefined when no area registered it (a URL naming a type). */
    find(type: string): MessageDefinition | undefined {
      return byType.get(type)?.definition;
    },

    /** The type's definition; an unregistered type is a programming error. */
    get(type: MessageType): MessageDefinition {
      const found = byType.get(type);
      if (!found) throw new Error(`message type ${type} is not registered`);
      return found.definition;
    },

    resolverOf(type: MessageType): MessageResolver | undefined {
      return byType.get(type)?.resolver;
    },

    /** Every registered type, in the order registered. */
    list(): MessageDefinition[] {
      return [...byType.values()].map((r) => r.definition);
    },

    /** Example values for a preview of `type`: its own, then any other type's, then the clinic's. */
    examplesFor(type: MessageType): Record<string, string> {
      return { ...examples, ...byType.get(type)?.definition.examples };
    },
  };
}

export type MessageRegistry = ReturnType<typeof messageRegistry>;

/**
 * Refuses a definition whose shipped wording could not be sent as it stands: a channel without
 * wording in every language, wording for a channel it does not go by, a template that breaks the
 * rules staff edits are held to (health details only in email bodies), a variable with no example.
 */
function checkDefinition(d: MessageDefinition): void {
  const problem = (what: string) => new Error(`message type ${d.type}: ${what}`);
  for (const channel of d.channels) {
    for (const language of languages) {
      const template = d.templates[channel]?.[language];
      if (!template) throw problem(`no ${language} ${channel} template`);
      const issues = templateIssues(d, channel, template);
      if (issues.length) {
        throw problem(`the ${language} ${channel} template: ${issues.map((i) => i.message).join(' ')}`);
      }
    }
  }
  for (const channel of Object.keys(d.templates)) {
    if (!(d.channels as readonly string[]).includes(channel))
      throw problem(`a ${channel} template, not a channel of it`);
  }
  const own = d.variables.filter((v) => !(clinicVariables as readonly string[]).includes(v));
  const missing = own.filter((v) => d.examples[v] === undefined);
  if (missing.length) throw problem(`no example for ${missing.map((v) => `{{${v}}}`).join(', ')}`);
}

/** The registry as readers see it (the staff template settings): no registering. */
export type MessageCatalogue = Pick<MessageRegistry, 'find' | 'list'>;
