export {
  findSlots,
  type PractitionerAvailability,
  type Slot,
  type SlotQuery,
  type TimeRange,
  type WallInterval,
} from './slots.ts';
