// Who Baton's emails come from: the organization's name and sender, where replies and questions
// go, and the site the links point to. Today these are the deployment's configuration (defaults
// below plus the site URL); the organization-settings issue feeds them from its settings instead.

export interface Brand {
  /** Shown in every email's signature and footer ("The <organization> team"). */
  organizationName: string;
  /** The display name in From. */
  senderName: string;
  /** The From address; undefined: the mailer's configured (verified) sender. */
  senderAddress?: string;
  /** Where replies go when no coordinator is known. */
  replyTo?: string;
  /** Shown in the footer for questions. */
  supportEmail?: string;
  /** Public URL of the site, no trailing slash. */
  siteUrl: string;
}

/** The brand until an organization sets its own. */
export function defaultBrand(siteUrl: string, overrides: Partial<Omit<Brand, 'siteUrl'>> = {}): Brand {
  return { organizationName: 'Baton', senderName: 'Baton', ...overrides, siteUrl };
}
