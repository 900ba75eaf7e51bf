/**
 * The seeds' example requests and answers, copied from ../shared/seeds word for word (seed 004's are
 * its sample documents; seed 003 has no example, only its tables).
 */

/** Seed 000: the curl's body, and the example answer. */
export const seed000 = {
  path: "/v1/kit-manager/upgradeCard",
  request: {
    entityId: "676165",
    kitNo: "4561789",
    deliveryAddress: "PERMANENT",
    kitInfo: [{ aliasName: "sample", cardType: "PHYSICAL", plasticCode: "4566", tierType: "SILVER" }]
  },
  answer: {
    result: {
      entityId: "672765",
      kitInfo: [
        {
          accountNo: 8642135,
          bin: "608040",
          cardCategory: "DEBIT",
          cardNumber: "608040XXXXXX6384",
          cardStatus: "ASSIGNED",
          cardType: "PHYSICAL",
          encryptedCardNumber: "44a938afd8c4c062ded334e77d5c5e6275dc6e1422d2d2af370f3a99dfbe7482",
          entityId: "676765",
          expDate: "2029-07-31T00:00:00.000+00:00",
          kitNo: "4240181595",
          networkType: "RUPAY",
          productId: "2003_PHYSICAL",
          productName: "2003_PHYSICAL"
        }
      ]
    },
    exception: null,
    pagination: null
  }
}

/** Seed 002: the curl's body, and the example answer. */
export const seed002 = {
  path: "/v1/kit-manager/manageAllKits",
  request: {
    mobileNo: "9876543210",
    operation: "BLOCK",
    reason: "CUSTOMER_REQUEST",
    changer: "user",
    channel: "IVR"
  },
  answer: {
    result: {
      managedCards: [
        {
          kitNo: "4240181652",
          cardNumber: "608040XXXXXX6954",
          previousStatus: "ACTIVE",
          currentStatus: "BLOCKED"
        },
        {
          kitNo: "4240181653",
          cardNumber: "608040XXXXXX6962",
          previousStatus: "ACTIVE",
          currentStatus: "BLOCKED"
        }
      ],
      totalCardsManaged: 2,
      operation: "BLOCK",
      entityId: "req11"
    },
    exception: null,
    pagination: null
  }
}

/** Seed 003's error table: status, errorMessage, errorCode of each row. */
export const seed003Rows = {
  notActive: [
    400,
    "Error: Card replacement is not allowed as the user account is not Active",
    "INVALID_REQUEST"
  ],
  suspended: [400, "Card replacement is not allowed as the user account is suspended", "INVALID_REQUEST"],
  notOnAccount: [400, "LoyaltyId specified is not associated with this Account", "INVALID_REQUEST"],
  cancelled: [400, "Cannot change the status of a Cancelled card", "INVALID_REQUEST"],
  damaged: [400, "Cannot change the status of a Damaged card", "INVALID_REQUEST"],
  lostOrStolen: [400, "Cannot change the status of a Lost or Stolen card", "INVALID_REQUEST"],
  invalidStatus: [400, "Invalid status specified for card replacement!", "INVALID_REQUEST"],
  limit: [
    400,
    "Card Replacement limit exceeded! Cannot replace card more than twice a month.",
    "INVALID_REQUEST"
  ],
  closed: [401, "Account status is CLOSED.", "API_VALIDATION"]
} as const

/** Seed 004's JSON `TokenResponse` sample. */
export const seed004JsonAnswer = {
  token: {
    tokenUniqueReference: "sample string 1",
    primaryAccountNumberUniqueReference: "sample string 2",
    tokenSuffix: "sample string 3",
    expirationDate: "sample string 4",
    accountPanSequenceNumber: "sample string 5",
    activationCodeExpirationDateTime: "sample string 6",
    correlationId: "sample string 7",
    currentStatusCode: "sample string 8",
    currentStatusDescription: "sample string 9",
    currentStatusDateTime: "sample string 10",
    digitizationRequestDateTime: "sample string 11",
    finalTokenizationDecision: "sample string 12",
    lastCommentId: "sample string 13",
    paymentAppInstanceId: "sample string 14",
    provisioningStatusCode: "sample string 15",
    provisioningStatusDescription: "sample string 16",
    storageTechnology: "sample string 17",
    suspender: [{ suspendedBy: "sample string 1" }, { suspendedBy: "sample string 1" }],
    tokenActivatedDateTime: "sample string 18",
    tokenAssuranceLevel: "sample string 19",
    tokenRequestorId: "sample string 20",
    tokenRequestorName: "sample string 21",
    tokenType: "sample string 22",
    walletId: "sample string 23",
    devices: [
      {
        deviceId: "sample string 1",
        deviceName: "sample string 2",
        deviceType: "sample string 3",
        secureElementId: "sample string 4"
      },
      {
        deviceId: "sample string 1",
        deviceName: "sample string 2",
        deviceType: "sample string 3",
        secureElementId: "sample string 4"
      }
    ],
    tokenDeletedFromConsumerApp: "sample string 24",
    tokenRequestorConsumerFacingEntityName: "sample string 25"
  }
}

/** Seed 004's XML `TokenResponse` sample. */
export const seed004XmlAnswer = `<TokenResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/MDES.CustomerService.Models"> <token> <AccountPanSequenceNumber>sample string 5</AccountPanSequenceNumber> <ActivationCodeExpirationDateTime>sample string 6</ActivationCodeExpirationDateTime> <CorrelationId>sample string 7</CorrelationId> <CurrentStatusCode>sample string 8</CurrentStatusCode> <CurrentStatusDateTime>sample string 10</CurrentStatusDateTime> <CurrentStatusDescription>sample string 9</CurrentStatusDescription> <Devices> <Device> <DeviceId>sample string 1</DeviceId> <DeviceName>sample string 2</DeviceName> <DeviceType>sample string 3</DeviceType> <SecureElementId>sample string 4</SecureElementId> </Device> <Device> <DeviceId>sample string 1</DeviceId> <DeviceName>sample string 2</DeviceName> <DeviceType>sample string 3</DeviceType> <SecureElementId>sample string 4</SecureElementId> </Device> </Devices> <DigitizationRequestDateTime>sample string 11</DigitizationRequestDateTime> <ExpirationDate>sample string 4</ExpirationDate> <FinalTokenizationDecision>sample string 12</FinalTokenizationDecision> <LastCommentId>sample string 13</LastCommentId> <PaymentAppInstanceId>sample string 14</PaymentAppInstanceId> <PrimaryAccountNumberUniqueReference>sample string 2</PrimaryAccountNumberUniqueReference> <ProvisioningStatusCode>sample string 15</ProvisioningStatusCode> <ProvisioningStatusDescription>sample string 16</ProvisioningStatusDescription> <StorageTechnology>sample string 17</StorageTechnology> <Suspender> <Suspender> <SuspendedBy>sample string 1</SuspendedBy> </Suspender> <Suspender> <SuspendedBy>sample string 1</SuspendedBy> </Suspender> </Suspender> <TokenActivatedDateTime>sample string 18</TokenActivatedDateTime> <TokenAssuranceLevel>sample string 19</TokenAssuranceLevel> <TokenDeletedFromConsumerApp>sample string 24</TokenDeletedFromConsumerApp> <TokenRequestorConsumerFacingEntityName>sample string 25</TokenRequestorConsumerFacingEntityName> <TokenRequestorId>sample string 20</TokenRequestorId> <TokenRequestorName>sample string 21</TokenRequestorName> <TokenSuffix>sample string 3</TokenSuffix> <TokenType>sample string 22</TokenType> <TokenUniqueReference>sample string 1</TokenUniqueReference> <WalletId>sample string 23</WalletId> </token> </TokenResponse>`

/**
 * A token update by `tokenUniqueReference` in seed 004's names, with its field table's example values
 * (`TokenUniqueReference`, `IssuerProductConfigurationId`, `CommentText`); the sample documents' values
 * ("sample string 1" in every field) break the seed's own rules, so they cannot be sent as they are.
 */
export const seed004Request = {
  tokenUniqueReference: "DWSPMC00000000010906a349d9ca4eb1a4d53e3c90a11d9c",
  issuerProductConfigurationId: "ANYGOLD101",
  updateWalletProviderIndicator: "0",
  commentText: "Update gold artwork",
  auditInfo: { userId: "agent-7", userName: "Ann Agent", organization: "ACME_BANK", phone: "5550100" }
}

/** The same request as seed 004's XML document. */
export const seed004XmlRequest = `<UpdateRequest xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/MDES.CustomerService.Models"> <AuditInfo> <Organization>ACME_BANK</Organization> <Phone>5550100</Phone> <UserId>agent-7</UserId> <UserName>Ann Agent</UserName> </AuditInfo> <CommentText>Update gold artwork</CommentText> <IssuerProductConfigurationId>ANYGOLD101</IssuerProductConfigurationId> <TokenUniqueReference>DWSPMC00000000010906a349d9ca4eb1a4d53e3c90a11d9c</TokenUniqueReference> <UpdateWalletProviderIndicator>0</UpdateWalletProviderIndicator> </UpdateRequest>`
