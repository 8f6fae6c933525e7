import type { AreaDeps } from '../area.ts';
import type { TemplatesService } from '../chart/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { DocumentsService } from '../documents/index.ts';
import type { AppointmentsService } from '../scheduling/index.ts';

/** What the forms area's use cases are given (index.ts builds it once). */
export interface FormsDeps extends AreaDeps<'queue' | 'notify'> {
  /** The clinic's name heads the PDF; its time zone words the messages' times. */
  clinic: Pick<ClinicService, 'get'>;
  /** Whose appointment a form is for, and when it starts (reminders). */
  appointments: Pick<AppointmentsService, 'forNotification' | 'patientForNotification'>;
  /** The form templates staff may send (listed for the service admin and the chart). */
  templates: Pick<TemplatesService, 'list'>;
  /** Where a submission's PDF is kept: the patient's documents (an audited store). */
  documents: Pick<DocumentsService, 'upload' | 'remove'>;
  /** The public URL the messages' links point to. */
  baseUrl: string;
}
