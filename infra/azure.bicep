// Azure resources for Apono Approvals for Microsoft Teams, deployed by teamsapp.yml (arm/deploy) with
// infra/azure.parameters.json. One Linux App Service (Node 22) serves the tab, the API and the bot; secrets
// live in Key Vault and reach the app as Key Vault references resolved with the app's managed identity.

@minLength(4)
@maxLength(20)
@description('Base of every resource name: "apono" + RESOURCE_SUFFIX from the Toolkit environment.')
param resourceBaseName string

param location string = resourceGroup().location

@description('App Service plan size (B1 or larger: Always On is not available on Free/Shared).')
param appServiceSku string = 'B1'

@maxLength(42)
param botDisplayName string

// Identities created by the provision steps before arm/deploy.
param teamsAppId string
param aadAppClientId string
param aadAppTenantId string
// Optional settings (allowedTenantIds, aponoOauth*) are left out of azure.parameters.json: the Toolkit stops
// on a placeholder whose variable is empty. To set one, add it there with a value (docs/teams-toolkit.md).
@description('Comma-separated tenant IDs allowed to sign in; empty means the SSO app\'s tenant.')
param allowedTenantIds string = ''
param botId string
param botTenantId string
@secure()
param botPassword string

// The app's configuration.
param aponoBaseUrl string = 'https://api.apono.io'
param aponoPortalUrl string = 'https://portal.apono.io'
@secure()
param aponoWebhookSecret string
@secure()
@description('32 random bytes, base64: encrypts the Apono credentials stored per user. Never rotate it in place.')
param tokenEncryptionKey string
param tokenEncryptionKeyId string = 'k1'
@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
  'silent'
])
param logLevel string = 'info'
// "Sign in with Apono": all three or none; empty app settings are read as unset by the server.
param aponoOauthClientId string = ''
param aponoOauthAuthorizeUrl string = ''
param aponoOauthTokenUrl string = ''

// PostgreSQL.
param postgresAdminLogin string = 'aponoadmin'
@secure()
param postgresAdminPassword string
param postgresDatabaseName string = 'apono_approvals'
param postgresSkuName string = 'Standard_B1ms'
param postgresSkuTier string = 'Burstable'
// Private access (the default): the server lives in a subnet of the app's own virtual network, with no
// public endpoint; the web app reaches it through VNet integration (App Service plan B1 or larger) and
// a private DNS zone. Public access instead opens the server to every Azure tenant's IP addresses (the
// 0.0.0.0 "Allow Azure services" rule), protected by password and TLS only; it saves the network but
// should be chosen on purpose (docs/teams-toolkit.md).
@description('false (default): PostgreSQL reachable only from the app\'s virtual network. true: public endpoint open to Azure services.')
param postgresPublicAccess bool = false
param vnetAddressPrefix string = '10.40.0.0/16'
param appSubnetPrefix string = '10.40.1.0/24'
param postgresSubnetPrefix string = '10.40.2.0/24'

var baseName = toLower(resourceBaseName)
var uniqueSuffix = uniqueString(resourceGroup().id, baseName)
// Key Vault names: 3-24 characters, globally unique.
var keyVaultName = take('kv${baseName}${uniqueSuffix}', 24)
var postgresServerName = '${baseName}-pg-${uniqueSuffix}'
var privateNetwork = !postgresPublicAccess
// Built-in role "Key Vault Secrets User": read secret values.
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${baseName}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${baseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
  }
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = if (privateNetwork) {
  name: '${baseName}-vnet'
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [
        vnetAddressPrefix
      ]
    }
    subnets: [
      {
        // The web app's outbound traffic (VNet integration) leaves through this subnet.
        name: 'app'
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [
            {
              name: 'web'
              properties: {
                serviceName: 'Microsoft.Web/serverFarms'
              }
            }
          ]
        }
      }
      {
        // PostgreSQL flexible server with private access needs a subnet delegated to it alone.
        name: 'postgres'
        properties: {
          addressPrefix: postgresSubnetPrefix
          delegations: [
            {
              name: 'postgres'
              properties: {
                serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'
              }
            }
          ]
        }
      }
    ]
  }
}

// The server's name resolves to its private address inside the network.
resource postgresDns 'Microsoft.Network/privateDnsZones@2024-06-01' = if (privateNetwork) {
  name: '${postgresServerName}.private.postgres.database.azure.com'
  location: 'global'
}

resource postgresDnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = if (privateNetwork) {
  parent: postgresDns
  name: '${baseName}-vnet-link'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: postgresServerName
  location: location
  sku: {
    name: postgresSkuName
    tier: postgresSkuTier
  }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    authConfig: {
      passwordAuth: 'Enabled'
      activeDirectoryAuth: 'Disabled'
    }
    storage: {
      storageSizeGB: 32
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: privateNetwork
      ? {
          delegatedSubnetResourceId: '${vnet.id}/subnets/postgres'
          privateDnsZoneArmResourceId: postgresDns.id
          publicNetworkAccess: 'Disabled'
        }
      : {
          publicNetworkAccess: 'Enabled'
        }
  }
  dependsOn: [
    postgresDnsLink
  ]
}

resource postgresDatabase 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: postgresDatabaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// Public access only: 0.0.0.0-0.0.0.0 is Azure's convention for "connections from Azure services",
// which means every Azure customer's addresses, not only this app's.
resource postgresAllowAzureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = if (postgresPublicAccess) {
  parent: postgres
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'bot-password'
  properties: {
    value: botPassword
  }
}

resource tokenEncryptionKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'token-encryption-key'
  properties: {
    value: tokenEncryptionKey
  }
}

resource aponoWebhookSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'apono-webhook-secret'
  properties: {
    value: aponoWebhookSecret
  }
}

// The whole connection string is the secret, so the password never appears in app settings.
resource databaseUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'database-url'
  properties: {
    value: 'postgres://${postgresAdminLogin}:${postgresAdminPassword}@${postgres.properties.fullyQualifiedDomainName}:5432/${postgresDatabase.name}?sslmode=require'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${baseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: appServiceSku
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: baseName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: 'SystemAssigned'
    // Outbound through the app subnet, so the private PostgreSQL server is reachable.
    virtualNetworkSubnetId: privateNetwork ? '${vnet.id}/subnets/app' : null
    vnetRouteAllEnabled: privateNetwork
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'node api/dist/main.js'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
  }
}

resource webAppReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, webApp.id, keyVaultSecretsUserRoleId)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

var publicHost = webApp.properties.defaultHostName

// App settings live in their own resource so they can name the site's host name; they wait for the role
// assignment so the Key Vault references resolve on the first start.
resource webAppSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  dependsOn: [
    webAppReadsSecrets
  ]
  properties: {
    NODE_ENV: 'production'
    PORT: '3978'
    WEBSITES_PORT: '3978'
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    APP_MODE: 'teams'
    PUBLIC_URL: 'https://${publicHost}'
    APONO_BASE_URL: aponoBaseUrl
    APONO_PORTAL_URL: aponoPortalUrl
    APONO_WEBHOOK_SECRET: '@Microsoft.KeyVault(SecretUri=${aponoWebhookSecretSecret.properties.secretUri})'
    DATABASE_URL: '@Microsoft.KeyVault(SecretUri=${databaseUrlSecret.properties.secretUri})'
    TOKEN_ENCRYPTION_KEY: '@Microsoft.KeyVault(SecretUri=${tokenEncryptionKeySecret.properties.secretUri})'
    TOKEN_ENCRYPTION_KEY_ID: tokenEncryptionKeyId
    AAD_APP_CLIENT_ID: aadAppClientId
    AAD_APP_TENANT_ID: aadAppTenantId
    AAD_APP_ID_URI: 'api://${publicHost}/${aadAppClientId}'
    ALLOWED_TENANT_IDS: empty(allowedTenantIds) ? aadAppTenantId : allowedTenantIds
    BOT_ID: botId
    BOT_PASSWORD: '@Microsoft.KeyVault(SecretUri=${botPasswordSecret.properties.secretUri})'
    BOT_TENANT_ID: botTenantId
    TEAMS_APP_ID: teamsAppId
    LOG_LEVEL: logLevel
    APONO_OAUTH_CLIENT_ID: aponoOauthClientId
    APONO_OAUTH_AUTHORIZE_URL: aponoOauthAuthorizeUrl
    APONO_OAUTH_TOKEN_URL: aponoOauthTokenUrl
  }
}

// Single-tenant Azure Bot: Bot Framework tokens for BOT_ID are issued by BOT_TENANT_ID only.
resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: baseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: 'F0'
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${publicHost}/api/messages'
    msaAppId: botId
    msaAppTenantId: botTenantId
    msaAppType: 'SingleTenant'
  }
}

resource botTeamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// Outputs are written to env/.env.<env> by the Toolkit under these names.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output TAB_DOMAIN string = publicHost
output TAB_ENDPOINT string = 'https://${publicHost}'
output AZURE_KEY_VAULT_NAME string = keyVault.name
