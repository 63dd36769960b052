/**
 * A realistic knowledge base and assistant configuration for the assistant's tests (and for
 * anyone who wants to try the built-in agent by hand): an invented SaaS product, "Acme", with
 * articles in English and Spanish and one each in French, German and Portuguese.
 */
import type { AssistantConfig, KnowledgeConfig } from '../../contract/config.js';

function article(id: string, language: string, title: string, body: string, tags: string[] = []): KnowledgeConfig {
  return { id, language, title, body, tags };
}

export const KNOWLEDGE_BASE: readonly KnowledgeConfig[] = [
  article(
    'reset-password',
    'en',
    'Reset your password',
    'If you forgot your password, open the sign-in page and click "Forgot password?". Enter the email address of ' +
      'your account and we will send you a reset link, valid for one hour. Check your spam folder if the email ' +
      'does not arrive within a few minutes.',
    ['login', 'sign in'],
  ),
  article(
    'change-email',
    'en',
    'Change the email address of your account',
    'Go to Settings → Profile, click "Edit" next to Email, enter the new address and confirm it with the code we ' +
      'send to it. From then on you sign in with the new address and invoices are sent to it.',
  ),
  article(
    'download-invoices',
    'en',
    'Download your invoices',
    'Invoices are in Settings → Billing → Invoices. Click an invoice to download it as a PDF. A new invoice is ' +
      'issued on the first day of each billing period.',
    ['billing', 'receipt'],
  ),
  article(
    'update-payment-card',
    'en',
    'Update your payment card',
    'To change the credit card we charge, open Settings → Billing → Payment method and click "Replace card". The ' +
      'new card is used from the next invoice on.',
    ['billing'],
  ),
  article(
    'payment-declined',
    'en',
    'Why was my payment declined?',
    'A payment is declined when the bank refuses the charge: an expired card, insufficient funds or a security ' +
      'block. Check the card details in Settings → Billing, or ask your bank to authorise charges from Acme. We ' +
      'retry failed payments after three days.',
    ['billing'],
  ),
  article(
    'two-factor-authentication',
    'en',
    'Set up two-factor authentication',
    'Open Settings → Security and click "Enable two-factor authentication". Scan the QR code with an ' +
      'authenticator app (Google Authenticator, 1Password, Authy) and type the six-digit code to confirm. Keep ' +
      'the recovery codes somewhere safe.',
    ['2fa', 'security'],
  ),
  article(
    'export-data',
    'en',
    'Export your data',
    'You can export all your projects as CSV or JSON from Settings → Data → Export. Large exports are prepared in ' +
      'the background and we email you a download link when they are ready.',
  ),
  article(
    'mobile-app-crash-upload',
    'en',
    'The mobile app closes when uploading photos',
    'If the app closes while uploading a photo, update it to the latest version from the App Store or Google Play ' +
      'and make sure it has permission to access your photos. Photos larger than 25 MB cannot be uploaded from ' +
      'the mobile app.',
    ['crash', 'ios', 'android'],
  ),
  article(
    'invite-teammates',
    'en',
    'Invite teammates to your workspace',
    'Admins can invite people from Settings → Members → Invite. Enter their email addresses and choose a role. ' +
      'Invitations expire after seven days.',
  ),
  article(
    'change-plan',
    'en',
    'Upgrade or downgrade your plan',
    'Change your subscription plan in Settings → Billing → Plan. Upgrades take effect immediately and are ' +
      'prorated; downgrades apply at the end of the current billing period.',
    ['pricing', 'subscription'],
  ),
  article(
    'connect-slack',
    'en',
    'Connect Slack',
    'Go to Settings → Integrations → Slack and click "Connect". Choose the Slack channel where Acme should post ' +
      'notifications about new projects and comments.',
    ['integration'],
  ),
  article(
    'restablecer-contrasena',
    'es',
    'Restablecer tu contraseña',
    'Si olvidaste tu contraseña, abre la página de inicio de sesión y haz clic en "¿Olvidaste tu contraseña?". ' +
      'Escribe el correo de tu cuenta y te enviaremos un enlace para restablecerla, válido durante una hora.',
    ['acceso'],
  ),
  article(
    'descargar-facturas',
    'es',
    'Descargar tus facturas',
    'Las facturas están en Configuración → Facturación → Facturas. Haz clic en una factura para descargarla en ' +
      'PDF. Cada factura se emite el primer día del periodo de facturación.',
  ),
  article(
    'cambiar-tarjeta',
    'es',
    'Cambiar la tarjeta de pago',
    'Para cambiar la tarjeta con la que cobramos, abre Configuración → Facturación → Método de pago y pulsa ' +
      '"Reemplazar tarjeta". La nueva tarjeta se usa desde la próxima factura.',
  ),
  article(
    'pago-rechazado',
    'es',
    '¿Por qué se rechazó mi pago?',
    'El banco rechaza el cobro cuando la tarjeta está vencida, no hay fondos suficientes o hay un bloqueo de ' +
      'seguridad. Revisa los datos de la tarjeta o pide a tu banco que autorice los cobros de Acme. Reintentamos ' +
      'los pagos fallidos a los tres días.',
  ),
  article(
    'exportar-datos',
    'es',
    'Exportar tus datos',
    'Puedes exportar todos tus proyectos en CSV o JSON desde Configuración → Datos → Exportar. Las exportaciones ' +
      'grandes se preparan en segundo plano y te enviamos un enlace de descarga por correo.',
  ),
  article(
    'app-se-cierra',
    'es',
    'La aplicación se cierra al subir fotos',
    'Si la aplicación se cierra al subir una foto, actualízala a la última versión desde App Store o Google Play y ' +
      'comprueba que tiene permiso para acceder a tus fotos. Las fotos de más de 25 MB no se pueden subir desde el ' +
      'móvil.',
  ),
  article(
    'conectar-slack',
    'es',
    'Conectar Slack',
    'Ve a Configuración → Integraciones → Slack y pulsa "Conectar". Elige el canal de Slack donde Acme publicará ' +
      'los avisos de proyectos y comentarios nuevos.',
  ),
  article(
    'reinitialiser-mot-de-passe',
    'fr',
    'Réinitialiser votre mot de passe',
    'Sur la page de connexion, cliquez sur « Mot de passe oublié ? » et saisissez l’adresse e-mail de votre ' +
      'compte : vous recevrez un lien de réinitialisation valable une heure.',
  ),
  article(
    'passwort-zuruecksetzen',
    'de',
    'Passwort zurücksetzen',
    'Klicken Sie auf der Anmeldeseite auf „Passwort vergessen?“ und geben Sie die E-Mail-Adresse Ihres Kontos ' +
      'ein. Sie erhalten einen Link zum Zurücksetzen, der eine Stunde gültig ist.',
  ),
  article(
    'redefinir-senha',
    'pt',
    'Redefinir sua senha',
    'Na página de login, clique em "Esqueceu a senha?" e informe o e-mail da sua conta. Você receberá um link ' +
      'para redefinir a senha, válido por uma hora.',
  ),
];

export const ASSISTANT_CONFIG: AssistantConfig = {
  confidenceThreshold: 0.35,
  maxTurnsWithoutProgress: 3,
  neverAutomate: ['refund', 'legal', 'cancellation'],
  intents: [
    {
      id: 'billing_dispute',
      examples: ['I was charged twice', 'double charge on my card', 'wrong amount on my invoice', 'me cobraron dos veces'],
    },
    {
      id: 'account_owner',
      examples: ['transfer account ownership', 'change the owner of the workspace', 'cambiar el propietario de la cuenta'],
    },
    {
      id: 'bug_report',
      examples: ['the app crashes', 'I found a bug', 'error message when saving', 'la aplicación se cierra'],
    },
  ],
};

/** A larger base (the fixture plus generated look-alike articles) for index-once sanity checks. */
export function largeKnowledgeBase(size: number): KnowledgeConfig[] {
  const topics = ['calendar', 'webhook', 'report', 'template', 'label', 'archive', 'comment', 'reminder', 'timezone'];
  const out: KnowledgeConfig[] = [...KNOWLEDGE_BASE];
  for (let i = 0; out.length < size; i += 1) {
    const topic = topics[i % topics.length] ?? 'topic';
    out.push(
      article(
        `${topic}-guide-${i}`,
        i % 3 === 0 ? 'es' : 'en',
        `Working with ${topic}s, part ${i}`,
        `How ${topic}s behave in projects, with ${topic} settings under Settings → ${topic}. Section ${i}.`,
      ),
    );
  }
  return out;
}
