import { z } from 'zod';
import { passwordProblem } from './accounts.ts';

// One schema per form. The first message of each field is the one shown, so "enter" comes before "format".

const email = z
  .string({ error: 'Enter your email address' })
  .trim()
  .min(1, 'Enter your email address')
  .max(254, 'Email address must be 254 characters or fewer')
  .pipe(z.email('Enter an email address in the correct format, like name@example.nhs.uk'));

export const signInForm = z.object({
  email,
  password: z
    .string({ error: 'Enter your password' })
    .min(1, 'Enter your password')
    .max(1000, 'Password must be 1000 characters or fewer'),
  next: z.string().optional(),
});

export const resetRequestForm = z.object({ email });

const newPasswordFields = {
  password: z.string({ error: 'Enter a new password' }).min(1, 'Enter a new password'),
  confirm: z.string({ error: 'Enter the new password again' }).min(1, 'Enter the new password again'),
};

/** The password rules for this account's email, and the confirmation. */
function checkNewPassword(accountEmail: string) {
  return (v: { password: string; confirm: string }, ctx: z.RefinementCtx) => {
    const problem = passwordProblem(v.password, accountEmail);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
    else if (v.confirm !== v.password) {
      ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'The passwords do not match' });
    }
  };
}

export function resetForm(accountEmail: string) {
  return z.object(newPasswordFields).superRefine(checkNewPassword(accountEmail));
}

export function changePasswordForm(accountEmail: string) {
  return z
    .object({
      current: z.string({ error: 'Enter your current password' }).min(1, 'Enter your current password'),
      ...newPasswordFields,
    })
    .superRefine(checkNewPassword(accountEmail));
}

export const demoForm = z.object({
  accountId: z.coerce.number({ error: 'Choose a demo persona' }).int().positive('Choose a demo persona'),
});
