// Wraps the generated AccountAPI bindings: sign-up, links, log-in, users.
import * as Account from '../../wailsjs/go/main/AccountAPI';
import type { account, main } from '../../wailsjs/go/models';
import { call } from './api';

export type AuthState = main.AuthState;
export type User = account.User;
export type Company = account.Company;
export type LinkInfo = account.LinkInfo;
export type LinkOutcome = account.LinkOutcome;
export type SignUpInput = account.SignUpInput;
export type InviteInput = account.InviteInput;

export const accountApi = {
  state: (): Promise<AuthState> => call(() => Account.State()),
  takePendingLink: (): Promise<string> => call(() => Account.TakePendingLink()),
  signUp: (input: SignUpInput): Promise<LinkOutcome> => call(() => Account.SignUp(input)),
  checkLink: (link: string): Promise<LinkInfo> => call(() => Account.CheckLink(link)),
  setPassword: (link: string, password: string, retype: string): Promise<User> => call(() => Account.SetPassword(link, password, retype)),
  login: (email: string, password: string): Promise<User> => call(() => Account.Login(email, password)),
  unlock: (password: string): Promise<void> => call(() => Account.Unlock(password)),
  logout: (): Promise<void> => call(() => Account.Logout()),
  forgotPassword: (email: string): Promise<void> => call(() => Account.ForgotPassword(email)),
  users: (): Promise<User[]> => call(() => Account.Users()),
  invite: (input: InviteInput): Promise<LinkOutcome> => call(() => Account.Invite(input)),
  resendInvite: (id: number): Promise<LinkOutcome> => call(() => Account.ResendInvite(id)),
  resetUserPassword: (id: number): Promise<LinkOutcome> => call(() => Account.ResetUserPassword(id)),
  setUserDisabled: (id: number, disabled: boolean): Promise<void> => call(() => Account.SetUserDisabled(id, disabled)),
  removeUser: (id: number): Promise<void> => call(() => Account.RemoveUser(id)),
  setIdleLockMinutes: (minutes: number): Promise<void> => call(() => Account.SetIdleLockMinutes(minutes)),
};
