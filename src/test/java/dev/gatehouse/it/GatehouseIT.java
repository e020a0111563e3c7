package dev.gatehouse.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The integration suite: Arquillian boots Payara Micro once with the real WAR (plus one test-only resource
 * that fails on purpose) against the embedded PostgreSQL, and every group of tests runs against it as a
 * {@link Nested} class. The tests themselves live in the abstract *Checks classes beside this one.
 * {@link FakeIdentityProvider} plays the OAuth / OpenID Connect provider, in this JVM.
 */
@ExtendWith({EmbeddedDatabaseExtension.class, FakeIdentityProvider.class, MailServer.class, ArquillianExtension.class})
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class GatehouseIT {

    @Deployment(testable = false)
    static WebArchive gatehouse() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, TestServer.WAR.toFile())
                .addClass(FailingResource.class);
    }

    @Nested
    class ProblemDetails extends ProblemDetailsChecks {
    }

    @Nested
    class RequestLog extends RequestLogChecks {
    }

    @Nested
    class Migrations extends MigrationChecks {
    }

    @Nested
    class Auth extends AuthChecks {
    }

    @Nested
    class Accounts extends AccountChecks {
    }

    @Nested
    class TokenSecurity extends TokenSecurityChecks {
    }

    @Nested
    class UserAdmin extends UserAdminChecks {
    }

    @Nested
    class OAuth extends OAuthChecks {
    }

    @Nested
    class StatementBudgets extends StatementBudgetChecks {
    }

    @Nested
    class CallerCache extends CallerCacheChecks {
    }

    @Nested
    class Audit extends AuditChecks {
    }

    @Nested
    class Mfa extends MfaChecks {
    }

    @Nested
    class Access extends AccessChecks {
    }

    @Nested
    class Escalation extends EscalationChecks {
    }

    @Nested
    class Session extends SessionChecks {
    }

    @Nested
    class HostileInput extends HostileInputChecks {
    }

    @Nested
    class AbuseProtection extends AbuseProtectionChecks {
    }

    @Nested
    class OpenApi extends OpenApiChecks {
    }

    @Nested
    class EmailVerification extends EmailVerificationChecks {
    }

    @Nested
    class PasswordReset extends PasswordResetChecks {
    }

    @Nested
    class Invitations extends InvitationChecks {
    }

    @Nested
    class EmailChange extends EmailChangeChecks {
    }

    @Nested
    class AccountSecurity extends AccountSecurityChecks {
    }

    @Nested
    class AccountPages extends AccountPagesChecks {
    }

    @Nested
    class SigningKeys extends SigningKeyChecks {
    }

    @Nested
    class OpenIdProvider extends OpenIdProviderChecks {
    }

    @Nested
    class SignInPage extends SignInPageChecks {
    }

    @Nested
    class BackChannelLogout extends BackChannelLogoutChecks {
    }

    @Nested
    class SecondInstance extends SecondInstanceChecks {
    }

    @Nested
    class ServiceAccounts extends ServiceAccountChecks {
    }

    @Nested
    class Introspection extends IntrospectionChecks {
    }

    @Nested
    class MailOutbox extends MailOutboxChecks {
    }

    @Nested
    class RollingRestart extends RollingRestartChecks {
    }

    @Nested
    class MailAbuse extends MailAbuseChecks {
    }

    @Nested
    class V1Imports extends V1ImportChecks {
    }

    @Nested
    class AccountImports extends AccountImportChecks {
    }

    @Nested
    class Scim extends ScimChecks {
    }

    @Nested
    class EnterpriseSso extends EnterpriseSsoChecks {
    }

    @Nested
    class ScimProtocol extends ScimProtocolChecks {
    }

    @Nested
    @Order(Integer.MAX_VALUE - 2) // after the others but Operations and LogSecrets: it stops and restarts the database
    class DatabaseOutage extends DatabaseOutageChecks {
    }

    @Nested
    @Order(Integer.MAX_VALUE - 1) // after the others but LogSecrets: it stops and restarts the database
    class Operations extends OperationsChecks {
    }

    @Nested
    @Order(Integer.MAX_VALUE) // last: it reads every log the run wrote for the run's secrets
    class LogSecrets extends LogSecretsChecks {
    }
}
