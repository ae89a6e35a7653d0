// Wraps the generated MailAPI bindings: outgoing mail settings and the test message.
import * as Mail from '../../wailsjs/go/main/MailAPI';
import type { mail } from '../../wailsjs/go/models';
import { call } from './api';

export type MailSettings = mail.Settings;
export type MailResult = mail.Result;

export const mailApi = {
  settings: (): Promise<MailSettings> => call(() => Mail.GetSettings()),
  save: (s: MailSettings, replacePassword: boolean, password: string): Promise<void> => call(() => Mail.SaveSettings(s, replacePassword, password)),
  sendTest: (to: string): Promise<MailResult> => call(() => Mail.SendTest(to)),
};
