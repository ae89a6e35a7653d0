import { admin, expect, launchSecond, logIn, loginAsAdmin, openApp, screenshot, seedCompany, test } from './fixtures';

test('sign up, set the password, log out and log in again', async ({ page, app }) => {
  await openApp(page, app);
  await expect(page.getByRole('heading', { name: 'Login Options' })).toBeVisible();
  await screenshot(page, 'auth-login-options');
  await page.getByRole('button', { name: /Sign Up/ }).click();

  // Every field is checked, each with its own message, and nothing is saved.
  await page.getByLabel('Primary Time Zone').fill('Mars/Olympus');
  await page.getByLabel('Manage Site').fill('http://cw.example.com');
  await page.getByRole('button', { name: 'Sign Up' }).click();
  await expect(page.getByText("Enter your company's name.")).toBeVisible();
  await expect(page.getByText(/is not a time zone/)).toBeVisible();
  await expect(page.getByText(/Plain http:\/\/ is not allowed/)).toBeVisible();
  await expect(page.getByText('Enter your email address.')).toBeVisible();
  await expect(page.getByLabel('Company Name')).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'auth-signup-errors');

  await page.getByLabel('Company Name').fill('Bluewave IT Services');
  await page.getByLabel('Primary Time Zone').fill('Europe/London');
  await page.getByLabel('Manage company ID').fill('bluewave');
  await page.getByLabel('Manage Site').fill('eu.myconnectwise.net');
  await page.getByLabel('Your Name').fill('Dana Scully');
  await page.getByLabel('Your Email Address').fill('dana@bluewave.example');
  await page.getByRole('button', { name: 'Sign Up' }).click();

  // Without outgoing mail, the person at the keyboard goes straight to the password step.
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await page.getByLabel('Password', { exact: true }).fill('password1234');
  await page.getByLabel('Retype Password').fill('password1234');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText(/commonly used passwords/)).toBeVisible();
  await page.getByLabel('Password', { exact: true }).fill('violet-tractor-moon-42');
  await page.getByLabel('Retype Password').fill('violet-tractor-moon-43');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText(/two passwords are not the same/)).toBeVisible();
  await page.getByLabel('Retype Password').fill('violet-tractor-moon-42');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(page.getByText('Dana Scully')).toBeVisible();

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log In' })).toBeVisible();
  await logIn(page, 'dana@bluewave.example', 'violet-tractor-moon-42');
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
});

test('five wrong passwords lock the account and say until when', async ({ page, app }) => {
  seedCompany(app);
  await openApp(page, app);
  await expect(page.getByRole('heading', { name: 'Log In' })).toBeVisible();
  await logIn(page, 'nobody@bluewave.example', 'whatever-it-is-123');
  const unknown = await page.getByRole('alert').first().textContent();
  for (let i = 1; i <= 4; i++) {
    await logIn(page, admin.email, `wrong-password-${i}-xyz`);
    await expect(page.getByRole('alert').first()).toHaveText(unknown ?? '');
  }
  // The same message for an unknown address and a wrong password: no hint which was wrong.
  expect(unknown).toMatch(/email address or password is incorrect/);
  await logIn(page, admin.email, 'wrong-password-5-xyz');
  await expect(page.getByRole('alert').first()).toContainText(/locked after 5 failed log-in attempts\. Try again after \d\d:\d\d/);
  await logIn(page, admin.email, admin.password);
  await expect(page.getByRole('alert').first()).toContainText('locked');
  await screenshot(page, 'auth-locked');
});

test('an admin invites a user, who opens the link, sets a password and logs in', async ({ page, app }) => {
  seedCompany(app);
  await openApp(page, app, '#/settings');
  await logIn(page, admin.email, admin.password);
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();

  await page.getByRole('button', { name: 'Invite user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite a user' });
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(dialog.getByText('Enter the person\'s name.')).toBeVisible();
  await dialog.getByLabel('Email Address').fill('fox@bluewave.example');
  await dialog.getByLabel('Name').fill('Fox Mulder');
  await dialog.getByRole('button', { name: 'Send invitation' }).click();

  // No outgoing mail: the admin is given the link to pass on.
  const handover = page.getByRole('dialog', { name: 'Invitation' });
  await expect(handover).toContainText('fox@bluewave.example');
  const link = (await handover.getByTestId('handover-link').textContent()) ?? '';
  expect(link).toMatch(/^cwm-webroot:\/\/activate\?token=[A-Za-z0-9_-]{43}$/);
  await screenshot(page, 'auth-invite-link');
  await handover.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('row', { name: /Fox Mulder/ })).toContainText('Invited');

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('textbox', { name: 'Account link' }).fill(link);
  await page.getByRole('button', { name: 'Use link' }).click();
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await expect(page.getByText(/invited to Bluewave IT Services/)).toBeVisible();
  await page.getByLabel('Password', { exact: true }).fill('fox-trusts-no-one-1013');
  await page.getByLabel('Retype Password').fill('fox-trusts-no-one-1013');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

  await page.getByRole('button', { name: 'Log out' }).click();
  await logIn(page, 'fox@bluewave.example', 'fox-trusts-no-one-1013');
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  // The link works once.
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('textbox', { name: 'Account link' }).fill(link);
  await page.getByRole('button', { name: 'Use link' }).click();
  await expect(page.getByText(/already been used/)).toBeVisible();
});

test('email settings: fields are checked, the password stays in the keychain, and a test reports the answer in words', async ({ page, app }) => {
  await loginAsAdmin(page, app, '#/settings');
  const form = page.getByRole('form', { name: 'Email settings' });
  await form.getByLabel('SMTP Server').fill('smtp.example.com');
  await form.getByLabel('Security').selectOption('none');
  await form.getByLabel('From Address').fill('not an address');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText(/"None" \(no encryption\) is allowed only for a server on this computer/)).toBeVisible();
  await expect(form.getByLabel('From Address')).toHaveAttribute('aria-invalid', 'true');

  // A server on this computer that is not listening: the test says what to check.
  await form.getByLabel('SMTP Server').fill('127.0.0.1');
  await form.getByLabel('Port').fill('1');
  await form.getByLabel('Username').fill('billing');
  await form.getByLabel('Password', { exact: true }).fill('smtp-secret-value');
  await form.getByLabel('From Address').fill('billing@bluewave.example');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('Saved in keychain')).toBeVisible();
  await page.getByRole('button', { name: 'Send test email' }).click();
  await expect(page.getByTestId('mail-test-result')).toContainText(/Check the SMTP Server and Port/);
  await screenshot(page, 'settings-email');
  // The secret never reaches the page.
  expect(await page.content()).not.toContain('smtp-secret-value');
});

test('the window locks after the idle time and unlocks with the password', async ({ page, app }) => {
  await page.clock.install();
  await loginAsAdmin(page, app, '#/settings');
  await page.getByLabel('Lock after').fill('1');
  await page.getByRole('button', { name: 'Save', exact: true }).first().click();
  await expect(page.getByText('The window locks after 1 idle minutes.')).toBeVisible();
  await page.clock.fastForward('01:05');
  await expect(page.getByRole('heading', { name: 'Locked' })).toBeVisible();
  await page.getByLabel('Password', { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('incorrect');
  await page.getByLabel('Password', { exact: true }).fill(admin.password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
});

test('a second launch with an account link hands it to the running window', async ({ page, app }) => {
  seedCompany(app);
  await openApp(page, app);
  await expect(page.getByRole('heading', { name: 'Log In' })).toBeVisible();
  // An invitation link, made through the bound API as the Users page would.
  await logIn(page, admin.email, admin.password);
  const link = await page.evaluate(async () => {
    const go = (window as unknown as { go: { main: { AccountAPI: { Invite: (i: object) => Promise<{ link: string }>; Logout: () => Promise<void> } } } }).go;
    const out = await go.main.AccountAPI.Invite({ email: 'scully2@bluewave.example', name: 'Second Person', role: 'user' });
    await go.main.AccountAPI.Logout();
    return out.link;
  });
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Log In' })).toBeVisible();
  const code = launchSecond(app, [link]);
  expect(code).toBe(1); // the second process hands over and exits
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await expect(page.getByText(/scully2@bluewave.example/)).toBeVisible();
});
