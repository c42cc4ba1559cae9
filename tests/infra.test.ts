// infra/azure.bicep, read as text (no Bicep compiler reaches these machines): PostgreSQL is private by
// default, open to "Azure services" only when asked for, and the health probe App Service uses is one
// the server answers while it waits for Key Vault access (api/src/secrets).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const bicep = readFileSync(new URL('../infra/azure.bicep', import.meta.url), 'utf8');

/** The text of one resource declaration, from its line to the next top-level declaration. */
function resource(name: string): string {
  const start = bicep.search(new RegExp(`^resource ${name} `, 'm'));
  expect(start, name).toBeGreaterThanOrEqual(0);
  const rest = bicep.slice(start + 1);
  const end = rest.search(/^(resource|output|var|param) /m);
  return rest.slice(0, end < 0 ? undefined : end);
}

describe('the Azure resources', () => {
  it('keep PostgreSQL off the public internet unless postgresPublicAccess is set', () => {
    expect(bicep).toMatch(/^param postgresPublicAccess bool = false$/m);
    const firewall = resource('postgresAllowAzureServices');
    expect(firewall).toMatch(/= if \(postgresPublicAccess\) \{/);
    const server = resource('postgres');
    expect(server).toMatch(
      /network: privateNetwork\s*\?\s*\{[\s\S]*?publicNetworkAccess: 'Disabled'\s*\}\s*:\s*\{\s*publicNetworkAccess: 'Enabled'/,
    );
    expect(server).toMatch(/delegatedSubnetResourceId: '\$\{vnet\.id\}\/subnets\/postgres'/);
    expect(server).toMatch(/privateDnsZoneArmResourceId: postgresDns\.id/);
    expect(resource('vnet')).toContain("serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'");
    expect(resource('postgresDns')).toContain('.private.postgres.database.azure.com');
    // The web app reaches it through VNet integration.
    const site = resource('webApp');
    expect(site).toMatch(/virtualNetworkSubnetId: privateNetwork \? '\$\{vnet\.id\}\/subnets\/app' : null/);
    expect(resource('vnet')).toContain("serviceName: 'Microsoft.Web/serverFarms'");
  });

  it('probe a path the server answers while it waits for Key Vault, and pass secrets as references', () => {
    expect(resource('webApp')).toContain("healthCheckPath: '/healthz'");
    const settings = resource('webAppSettings');
    for (const name of ['APONO_WEBHOOK_SECRET', 'DATABASE_URL', 'TOKEN_ENCRYPTION_KEY', 'BOT_PASSWORD'])
      expect(settings).toMatch(new RegExp(`${name}: '@Microsoft\\.KeyVault\\(SecretUri=`));
  });
});
