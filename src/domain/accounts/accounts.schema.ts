import { z } from 'zod';

export const staffRoles = ['admin', 'practitioner', 'reception'] as const;
export type StaffRole = (typeof staffRoles)[number];

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'Enter a valid email address.' }));
export const nameSchema = z.string().trim().min(1, 'Enter a name.').max(120, 'Use at most 120 characters.');

export const createStaffInput = z.object({
  email: emailSchema,
  name: nameSchema,
  role: z.enum(staffRoles),
  password: z.string().optional(),
});
export type CreateStaffInput = z.input<typeof createStaffInput>;

export const signInInput = z.object({
  email: z.string().trim().toLowerCase().max(320),
  password: z.string().max(1000),
});

export const setupInput = z.object({ email: emailSchema, name: nameSchema, password: z.string() });
