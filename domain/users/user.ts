import { DomainError } from '../errors.js';
import type { DomainEvent } from '../ports.js';

export type Role = 'customer' | 'admin';
export const roles = ['customer', 'admin'] as const;

export interface Address {
  id: string;
  label?: string;
  street: string;
  city: string;
  postalCode: string;
  country: string;
}

/** A user as stored; `passwordHash` never leaves the domain (see `publicUser`). */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  phone?: string;
  role: Role;
  passwordHash: string;
  addresses: Address[];
  /** Set by the link of a verification mail; a new email address is unverified again. */
  emailVerified: boolean;
  /** Opted in to marketing mail (the abandoned-cart reminder); off until the user says so. */
  marketingEmails: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type PublicUser = Omit<UserRecord, 'passwordHash' | 'createdAt' | 'updatedAt'> & {
  createdAt: string;
  updatedAt: string;
};

export const publicUser = ({ passwordHash: _hidden, ...user }: UserRecord): PublicUser => ({
  id: user.id,
  email: user.email,
  name: user.name,
  ...(user.phone ? { phone: user.phone } : {}),
  role: user.role,
  addresses: user.addresses,
  emailVerified: user.emailVerified,
  marketingEmails: user.marketingEmails,
  createdAt: user.createdAt.toISOString(),
  updatedAt: user.updatedAt.toISOString(),
});

/** Fields a change may set; `phone: null` clears the phone. */
export interface UserPatch {
  name?: string;
  phone?: string | null;
  role?: Role;
  passwordHash?: string;
  /** A new email; EMAIL_TAKEN when another account has it in any letter case. */
  email?: string;
  emailVerified?: boolean;
  marketingEmails?: boolean;
  updatedAt: Date;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * Storage of users. Every write takes the events that describe it: they are stored in
 * the same transaction (outbox), so a stored change always gets its event.
 * Unknown or malformed ids find nothing (null / false); they never throw.
 */
export interface UserRepository {
  /** Throws DomainError EMAIL_TAKEN when the email exists in any letter case. */
  create(user: UserRecord, events?: DomainEvent[]): Promise<void>;
  findById(id: string): Promise<UserRecord | null>;
  /** Case-insensitive. */
  findByEmail(email: string): Promise<UserRecord | null>;
  /**
   * Throws LAST_ADMIN (lastAdmin()) when the role change would leave no admin, as `delete` does,
   * and EMAIL_TAKEN when a new email belongs to another account.
   */
  update(id: string, patch: UserPatch, events?: DomainEvent[]): Promise<UserRecord | null>;
  /** 'full' when the user has `max` addresses already: the count and the append are one write. */
  addAddress(id: string, address: Address, updatedAt: Date, max: number): Promise<UserRecord | 'full' | null>;
  removeAddress(id: string, addressId: string, updatedAt: Date): Promise<UserRecord | null>;
  /**
   * Throws LAST_ADMIN when the user is the only admin left. The count and the delete are one
   * step in the store: two admins deleting (or demoting) each other at once leave one of them.
   */
  delete(id: string, events?: DomainEvent[]): Promise<boolean>;
  /** Newest first. */
  list(offset: number, limit: number): Promise<Page<UserRecord>>;
  countAdmins(): Promise<number>;
  /**
   * Sets emailVerified only while the user's email is still `email` (a link to an address the
   * user has since changed verifies nothing); answers the user when it matched.
   */
  markEmailVerified(id: string, email: string, updatedAt: Date): Promise<UserRecord | null>;
}

/** A shop must keep an admin: the stores refuse the write that would leave none. */
export const lastAdmin = () => new DomainError('LAST_ADMIN', 'The last admin cannot be deleted or demoted; make another admin first');
