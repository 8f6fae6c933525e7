import { z } from 'zod';
import { defineMessage } from '../area.ts';
import type { MessageResolver } from '../notifications/index.ts';

/**
 * The audit log's head, emailed to admins every night: kept outside Clinicbox, it shows later
 * whether the log was rewritten or cut (`clinicbox audit verify --expect-head`), which the chain
 * alone cannot show to someone who can change the whole database.
 */
export const auditHeadMessage = defineMessage({
  type: 'audit-head',
  label: 'Audit log head (nightly, to admins)',
  essential: true,
  channels: ['email'],
  variables: ['clinicName', 'headId', 'headHash', 'rows'],
  examples: { headId: '4210', headHash: 'b5f1…9c', rows: '4210' },
  templates: {
    email: {
      en: {
        subject: '{{clinicName}}: audit log head {{headId}}',
        body: 'The audit log of {{clinicName}} verified tonight: {{rows}} rows, the last one is row {{headId}} with hash\n{{headHash}}\n\nKeep this email. To check later that the log was not rewritten or cut since, run:\nclinicbox audit verify --expect-head {{headId}}:{{headHash}}',
      },
      fr: {
        subject: '{{clinicName}} : tête du journal d’audit {{headId}}',
        body: 'Le journal d’audit de {{clinicName}} a été vérifié cette nuit : {{rows}} lignes, la dernière est la ligne {{headId}}, d’empreinte\n{{headHash}}\n\nGardez ce message. Pour vérifier plus tard que le journal n’a été ni réécrit ni tronqué depuis, lancez :\nclinicbox audit verify --expect-head {{headId}}:{{headHash}}',
      },
    },
  },
});

/** Sent instead of the head when the nightly check finds the chain broken. */
export const auditBrokenMessage = defineMessage({
  type: 'audit-broken',
  label: 'Audit log broken (nightly check, to admins)',
  essential: true,
  channels: ['email'],
  variables: ['clinicName', 'brokenId'],
  examples: { brokenId: '4207' },
  templates: {
    email: {
      en: {
        subject: '{{clinicName}}: the audit log does not verify',
        body: 'Tonight’s check of the audit log of {{clinicName}} found it broken at row {{brokenId}}: the log was changed outside Clinicbox, or Clinicbox runs with another master key. Run clinicbox audit verify for details, and compare with the heads emailed on earlier nights.',
      },
      fr: {
        subject: '{{clinicName}} : le journal d’audit ne se vérifie pas',
        body: 'La vérification de cette nuit du journal d’audit de {{clinicName}} l’a trouvé rompu à la ligne {{brokenId}} : le journal a été modifié hors de Clinicbox, ou Clinicbox tourne avec une autre clé maîtresse. Lancez clinicbox audit verify pour les détails, et comparez avec les têtes envoyées les nuits précédentes.',
      },
    },
  },
});

const headParams = z.object({ headId: z.number(), headHash: z.string(), rows: z.number() });
const brokenParams = z.object({ brokenId: z.number() });

/** The values are the night's result, carried in the delivery (ids and hashes, nothing else). */
export const auditMessages = (): MessageResolver => ({
  messages: [auditHeadMessage, auditBrokenMessage],
  async resolve(type, params) {
    if (type === auditHeadMessage.type) {
      const { headId, headHash, rows } = headParams.parse(params);
      return { vars: { headId: String(headId), headHash, rows: String(rows) } };
    }
    return { vars: { brokenId: String(brokenParams.parse(params).brokenId) } };
  },
});
