"""The aikg vocabulary as a closed rdflib namespace: a typo in a term name raises instead of minting an IRI.

Mirrors ontology/aikg.ttl term for term (tests/test_ontology.py checks that the two do not drift).
"""
from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

AIKG_IRI = "https://w3id.org/aikg/"


class AIKG(DefinedNamespace):
    """Classes and properties of https://w3id.org/aikg/ (prefix ``aikg:``)."""

    _NS = Namespace(AIKG_IRI)
    _fail = True

    # classes
    AIModel: URIRef  # AI model
    Acquisition: URIRef  # acquisition
    App: URIRef  # app
    Article: URIRef  # article
    AssetSale: URIRef  # asset sale
    CapexGuidance: URIRef  # capital expenditure guidance
    Chip: URIRef  # chip
    Company: URIRef  # company
    DataCenter: URIRef  # data center
    Division: URIRef  # division
    Event: URIRef  # event
    FinancialReport: URIRef  # financial report
    FundingRound: URIRef  # funding round
    Hiring: URIRef  # hiring
    Investment: URIRef  # investment
    Investor: URIRef  # investor
    MonetaryAmount: URIRef  # monetary amount
    Organization: URIRef  # organization
    Partnership: URIRef  # partnership
    Period: URIRef  # period
    Person: URIRef  # person
    Place: URIRef  # place
    Product: URIRef  # product
    ProductRelease: URIRef  # product release
    Project: URIRef  # project
    RegulatoryAction: URIRef  # regulatory action
    ResearchLab: URIRef  # research lab
    Role: URIRef  # role
    Site: URIRef  # site
    Statement: URIRef  # statement
    SupplyDeal: URIRef  # supply deal
    # properties
    acquired: URIRef  # acquired
    acquiredBy: URIRef  # acquired by
    acquiree: URIRef  # acquiree
    acquirer: URIRef  # acquirer
    amount: URIRef  # amount
    asset: URIRef  # asset
    attestedBy: URIRef  # attested by
    capacityDate: URIRef  # capacity date
    capacityGW: URIRef  # power capacity (GW)
    competesWith: URIRef  # competes with
    confidence: URIRef  # confidence
    currency: URIRef  # currency
    customer: URIRef  # customer
    date: URIRef  # date
    developedBy: URIRef  # developed by
    develops: URIRef  # develops
    employer: URIRef  # employer
    endDate: URIRef  # end date
    endOffset: URIRef  # end offset
    entityId: URIRef  # entity id
    evidence: URIRef  # evidence
    extractorVersion: URIRef  # extractor version
    fileName: URIRef  # file name
    fundedBy: URIRef  # funded by
    hasSubsidiary: URIRef  # has subsidiary
    headedBy: URIRef  # headed by
    heads: URIRef  # heads
    hired: URIRef  # hired
    hiree: URIRef  # hiree
    holder: URIRef  # holder
    investedIn: URIRef  # invested in
    investee: URIRef  # investee
    investor: URIRef  # investor
    isHead: URIRef  # is head
    locatedIn: URIRef  # located in
    maxAmount: URIRef  # maximum amount
    minAmount: URIRef  # minimum amount
    netIncome: URIRef  # net income
    operatedBy: URIRef  # operated by
    operates: URIRef  # operates
    organization: URIRef  # organization
    participant: URIRef  # participant
    partner: URIRef  # partner
    partneredWith: URIRef  # partnered with
    pattern: URIRef  # pattern
    percent: URIRef  # percent
    period: URIRef  # period
    published: URIRef  # published
    publisherName: URIRef  # publisher name
    relation: URIRef  # relation
    revenue: URIRef  # revenue
    seller: URIRef  # seller
    sha256: URIRef  # SHA-256
    sourceCount: URIRef  # source count
    startDate: URIRef  # start date
    startOffset: URIRef  # start offset
    status: URIRef  # status
    subsidiaryOf: URIRef  # subsidiary of
    supplier: URIRef  # supplier
    supplies: URIRef  # supplies
    title: URIRef  # title
    valuation: URIRef  # valuation
    value: URIRef  # value
    worksFor: URIRef  # works for
