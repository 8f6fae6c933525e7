export { type SmsBudget, smsBudget } from './sms-budget.ts';
