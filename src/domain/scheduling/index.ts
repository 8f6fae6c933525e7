export {
  type PractitionerProfileInput,
  parseDayHours,
  type Weekday,
  weekdays,
} from './practitioners.schema.ts';
export {
  type PractitionersService,
  type PractitionerView,
  practitionersService,
} from './practitioners.service.ts';
export { type ServiceInput, serviceInput } from './services.schema.ts';
export { type Service, type ServicesService, servicesService } from './services.service.ts';
export {
  findSlots,
  type PractitionerAvailability,
  type Slot,
  type SlotQuery,
  type TimeRange,
  type WallInterval,
} from './slots.ts';
