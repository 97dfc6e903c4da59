// Who Baton's emails come from: the organization's name and sender, where replies and questions
// go, and the site the links point to: the organization's settings (organization.ts,
// organizationBrand), the defaults below until an admin saves them.

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
  /** The organization's own website, in the footer. */
  websiteUrl?: string;
  /** Public URL of the site, no trailing slash. */
  siteUrl: string;
}

/** The brand until an organization sets its own. */
export function defaultBrand(siteUrl: string, overrides: Partial<Omit<Brand, 'siteUrl'>> = {}): Brand {
  return { organizationName: 'Baton', senderName: 'Baton', ...overrides, siteUrl };
}
