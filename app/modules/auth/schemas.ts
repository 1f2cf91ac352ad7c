import { z } from "zod";

export const emailField = z
  .string({ error: "Enter your email address" })
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long")
  .pipe(z.email("Enter a valid email address"));

/** OWASP: at least 8 characters (we ask 10), long passphrases allowed, no composition rules. */
export const newPasswordField = z
  .string({ error: "Choose a password" })
  .min(10, "Use at least 10 characters")
  .max(128, "Use at most 128 characters");

export const nameField = z.string({ error: "Enter your name" }).trim().min(1, "Enter your name").max(100, "Use at most 100 characters");

export const signUpSchema = z.object({ name: nameField, email: emailField, password: newPasswordField });
export const logInSchema = z.object({
  email: emailField,
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password").max(128, "Use at most 128 characters"),
});
export const forgotPasswordSchema = z.object({ email: emailField });
export const resetPasswordSchema = z.object({ token: z.string().min(1).max(100, "This link is not valid"), password: newPasswordField });
export const changePasswordSchema = z.object({
  currentPassword: z
    .string({ error: "Enter your current password" })
    .min(1, "Enter your current password")
    .max(128, "Use at most 128 characters"),
  newPassword: newPasswordField,
});
