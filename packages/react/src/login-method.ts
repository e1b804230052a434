/** How the sign-in proves the email: a one-time code typed here, or a magic link. */
export type LoginMethod = 'code' | 'link'
