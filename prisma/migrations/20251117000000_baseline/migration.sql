-- Baseline: SoleFlip production as it stood on 2025-11-17, before the fix (Alembic head 3d6bdd7225fa).
-- A faithful copy of the schema-only dump legacy-schema.sql (six schemas, 24 tables, with its known
-- defects: NO ACTION foreign keys, the NOT VALID stock_size_id_fkey, nullable order.platform_id without
-- a foreign key, NOT NULL stockx_order_number, no enrichment partial indexes), minus the dump's session
-- settings. A production database at this state is adopted by the migrator, not re-created.

CREATE SCHEMA analytics;

--
-- Name: catalog; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA catalog;

--
-- Name: inventory; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA inventory;

--
-- Name: platform; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA platform;

--
-- Name: sales; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA sales;

--
-- Name: supplier; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA supplier;

--
-- Name: brand_event_type; Type: TYPE; Schema: catalog; Owner: -
--

CREATE TYPE catalog.brand_event_type AS ENUM (
    'founded',
    'milestone',
    'acquisition',
    'closure',
    'rebranding',
    'collaboration',
    'expansion',
    'contraction',
    'other'
);

--
-- Name: inventory_status; Type: TYPE; Schema: inventory; Owner: -
--

CREATE TYPE inventory.inventory_status AS ENUM (
    'incoming',
    'available',
    'consigned',
    'need_shipping',
    'packed',
    'outgoing',
    'sale_completed',
    'cancelled'
);

--
-- Name: demand_patterns; Type: TABLE; Schema: analytics; Owner: -
--

CREATE TABLE analytics.demand_patterns (
    id uuid NOT NULL,
    product_id uuid,
    brand_id uuid,
    category_id uuid,
    analysis_level character varying(20) NOT NULL,
    pattern_date date NOT NULL,
    period_type character varying(20) NOT NULL,
    demand_score numeric(8,4) NOT NULL,
    velocity_rank integer,
    seasonality_factor numeric(4,3),
    trend_direction character varying(20),
    volatility_score numeric(5,4),
    pattern_metadata json,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: forecast_accuracy; Type: TABLE; Schema: analytics; Owner: -
--

CREATE TABLE analytics.forecast_accuracy (
    id uuid NOT NULL,
    forecast_run_id uuid NOT NULL,
    model_name character varying(50) NOT NULL,
    forecast_level character varying(20) NOT NULL,
    forecast_horizon character varying(20) NOT NULL,
    accuracy_date date NOT NULL,
    mape_score numeric(5,2),
    rmse_score numeric(10,2),
    mae_score numeric(10,2),
    r2_score numeric(5,4),
    bias_score numeric(8,2),
    records_evaluated integer NOT NULL,
    evaluation_period_days integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: marketplace_data; Type: TABLE; Schema: analytics; Owner: -
--

CREATE TABLE analytics.marketplace_data (
    id uuid NOT NULL,
    inventory_item_id uuid NOT NULL,
    platform_id uuid NOT NULL,
    marketplace_listing_id character varying(255),
    ask_price numeric(10,2),
    bid_price numeric(10,2),
    market_lowest_ask numeric(10,2),
    market_highest_bid numeric(10,2),
    last_sale_price numeric(10,2),
    sales_frequency integer,
    volatility numeric(5,4),
    fees_percentage numeric(5,4),
    platform_specific jsonb,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT chk_fees_range CHECK (((fees_percentage >= (0)::numeric) AND (fees_percentage <= (1)::numeric))),
    CONSTRAINT chk_volatility_range CHECK (((volatility >= (0)::numeric) AND (volatility <= (1)::numeric)))
);

--
-- Name: pricing_kpis; Type: TABLE; Schema: analytics; Owner: -
--

CREATE TABLE analytics.pricing_kpis (
    id uuid NOT NULL,
    kpi_date date NOT NULL,
    product_id uuid,
    brand_id uuid,
    category_id uuid,
    platform_id uuid,
    aggregation_level character varying(20) NOT NULL,
    average_margin_percent numeric(5,2),
    average_markup_percent numeric(5,2),
    price_realization_percent numeric(5,2),
    competitive_index numeric(5,2),
    conversion_rate_percent numeric(5,2),
    revenue_impact_eur numeric(12,2),
    units_sold integer,
    average_selling_price numeric(10,2),
    price_elasticity numeric(6,4),
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: sales_forecasts; Type: TABLE; Schema: analytics; Owner: -
--

CREATE TABLE analytics.sales_forecasts (
    id uuid NOT NULL,
    forecast_run_id uuid NOT NULL,
    product_id uuid,
    brand_id uuid,
    category_id uuid,
    platform_id uuid,
    forecast_level character varying(20) NOT NULL,
    forecast_date date NOT NULL,
    forecast_horizon character varying(20) NOT NULL,
    forecasted_units numeric(10,2) NOT NULL,
    forecasted_revenue numeric(12,2) NOT NULL,
    confidence_lower numeric(10,2),
    confidence_upper numeric(10,2),
    model_name character varying(50) NOT NULL,
    model_version character varying(20) NOT NULL,
    feature_importance json,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: brand; Type: TABLE; Schema: catalog; Owner: -
--

CREATE TABLE catalog.brand (
    id uuid NOT NULL,
    name character varying(100) NOT NULL,
    slug character varying(100) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: brand_history; Type: TABLE; Schema: catalog; Owner: -
--

CREATE TABLE catalog.brand_history (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    brand_id uuid NOT NULL,
    event_type catalog.brand_event_type NOT NULL,
    event_date date,
    event_year integer,
    title character varying(200) NOT NULL,
    description text,
    related_brand_id uuid,
    collaboration_start_date date,
    collaboration_end_date date,
    metadata jsonb,
    source character varying(100),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by character varying(100)
);

--
-- Name: brand_patterns; Type: TABLE; Schema: catalog; Owner: -
--

CREATE TABLE catalog.brand_patterns (
    id uuid NOT NULL,
    brand_id uuid NOT NULL,
    pattern_type character varying(50) NOT NULL,
    pattern character varying(255) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    priority integer NOT NULL
);

--
-- Name: category; Type: TABLE; Schema: catalog; Owner: -
--

CREATE TABLE catalog.category (
    id uuid NOT NULL,
    name character varying(100) NOT NULL,
    slug character varying(100) NOT NULL,
    parent_id uuid,
    path character varying(500),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: product; Type: TABLE; Schema: catalog; Owner: -
--

CREATE TABLE catalog.product (
    id uuid NOT NULL,
    sku character varying(100) NOT NULL,
    brand_id uuid,
    category_id uuid NOT NULL,
    name character varying(255) NOT NULL,
    description text,
    retail_price numeric(10,2),
    avg_resale_price numeric(10,2),
    release_date timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    stockx_product_id character varying(255),
    style_code character varying(100),
    enrichment_data jsonb,
    lowest_ask numeric(10,2),
    highest_bid numeric(10,2),
    recommended_sell_faster numeric(10,2),
    recommended_earn_more numeric(10,2),
    last_enriched_at timestamp with time zone
);

--
-- Name: product_variant; Type: TABLE; Schema: catalog; Owner: -
--

CREATE TABLE catalog.product_variant (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    product_id uuid NOT NULL,
    size_master_id uuid,
    stockx_variant_id character varying(255),
    stockx_variant_name character varying(255),
    color character varying(100),
    condition character varying(20) DEFAULT 'new'::character varying NOT NULL,
    variant_data jsonb,
    is_flex_eligible boolean DEFAULT false NOT NULL,
    is_direct_eligible boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: size_conversion; Type: TABLE; Schema: catalog; Owner: -
--

CREATE TABLE catalog.size_conversion (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    from_standard character varying(10) NOT NULL,
    to_standard character varying(10) NOT NULL,
    gender character varying(20),
    from_value numeric(5,1) NOT NULL,
    to_value numeric(5,1) NOT NULL,
    brand_id uuid,
    category_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: size_master; Type: TABLE; Schema: catalog; Owner: -
--

CREATE TABLE catalog.size_master (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    gender character varying(20) NOT NULL,
    us_size numeric(4,1) NOT NULL,
    eu_size numeric(4,1),
    uk_size numeric(4,1),
    cm_size numeric(4,1),
    jp_size numeric(4,1),
    kr_size numeric(5,1),
    category_id uuid,
    validation_source character varying(20),
    last_validated_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: sizes; Type: TABLE; Schema: catalog; Owner: -
--

CREATE TABLE catalog.sizes (
    id uuid NOT NULL,
    category_id uuid,
    value character varying(20) NOT NULL,
    standardized_value numeric(4,1),
    region character varying(10) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: stock; Type: TABLE; Schema: inventory; Owner: -
--

CREATE TABLE inventory.stock (
    id uuid NOT NULL,
    product_id uuid NOT NULL,
    size_id uuid NOT NULL,
    supplier_id uuid,
    quantity integer NOT NULL,
    purchase_price numeric(10,2),
    purchase_date timestamp with time zone,
    supplier character varying(100),
    status character varying(50) NOT NULL,
    notes text,
    external_ids jsonb,
    delivery_date timestamp with time zone,
    gross_purchase_price numeric(10,2),
    vat_amount numeric(10,2),
    vat_rate numeric(5,2),
    shelf_life_days integer,
    profit_per_shelf_day numeric(10,2),
    roi_percentage numeric(5,2),
    location character varying(50),
    listed_stockx boolean,
    listed_alias boolean,
    listed_local boolean,
    detailed_status inventory.inventory_status,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: stock_financial; Type: TABLE; Schema: inventory; Owner: -
--

CREATE TABLE inventory.stock_financial (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    stock_id uuid NOT NULL,
    purchase_price numeric(10,2) NOT NULL,
    gross_purchase_price numeric(10,2) NOT NULL,
    vat_amount numeric(10,2) NOT NULL,
    profit_per_shelf_day numeric(10,2),
    roi numeric(5,2),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: stock_lifecycle; Type: TABLE; Schema: inventory; Owner: -
--

CREATE TABLE inventory.stock_lifecycle (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    stock_id uuid NOT NULL,
    shelf_life_days integer,
    listed_on_platforms jsonb,
    status_history jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: stock_metrics; Type: TABLE; Schema: inventory; Owner: -
--

CREATE TABLE inventory.stock_metrics (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    stock_id uuid NOT NULL,
    available_quantity integer NOT NULL,
    reserved_quantity integer NOT NULL,
    total_cost numeric(12,2),
    expected_profit numeric(15,2),
    last_calculated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: stock_reservation; Type: TABLE; Schema: inventory; Owner: -
--

CREATE TABLE inventory.stock_reservation (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    stock_id uuid NOT NULL,
    reserved_quantity integer NOT NULL,
    reserved_until timestamp with time zone,
    reservation_reason text,
    status character varying(20) NOT NULL,
    reserved_by character varying(100),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: marketplace; Type: TABLE; Schema: platform; Owner: -
--

CREATE TABLE platform.marketplace (
    id uuid NOT NULL,
    name character varying(100) NOT NULL,
    slug character varying(100) NOT NULL,
    fee_percentage numeric(5,2),
    supports_fees boolean,
    active boolean,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: listing; Type: TABLE; Schema: sales; Owner: -
--

CREATE TABLE sales.listing (
    id uuid NOT NULL,
    inventory_item_id uuid NOT NULL,
    stockx_listing_id character varying(100) NOT NULL,
    status character varying(50) NOT NULL,
    amount numeric(10,2),
    currency_code character varying(10),
    inventory_type character varying(50),
    expires_at timestamp with time zone,
    stockx_created_at timestamp with time zone,
    last_stockx_updated_at timestamp with time zone,
    platform_specific_data jsonb,
    raw_data jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: order; Type: TABLE; Schema: sales; Owner: -
--

CREATE TABLE sales."order" (
    id uuid NOT NULL,
    inventory_item_id uuid NOT NULL,
    listing_id uuid,
    stockx_order_number character varying(100) NOT NULL,
    status character varying(50) NOT NULL,
    amount numeric(10,2),
    currency_code character varying(10),
    inventory_type character varying(50),
    shipping_label_url character varying(512),
    shipping_document_path character varying(512),
    stockx_created_at timestamp with time zone,
    last_stockx_updated_at timestamp with time zone,
    sold_at timestamp with time zone,
    gross_sale numeric(10,2),
    net_proceeds numeric(10,2),
    gross_profit numeric(10,2),
    net_profit numeric(10,2),
    roi numeric(5,2),
    payout_received boolean,
    payout_date timestamp with time zone,
    shelf_life_days integer,
    platform_specific_data jsonb,
    raw_data jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    platform_id uuid,
    external_id character varying(200),
    platform_fee numeric(10,2),
    shipping_cost numeric(10,2),
    buyer_destination_country character varying(100),
    buyer_destination_city character varying(200),
    notes text
);

--
-- Name: pricing_history; Type: TABLE; Schema: sales; Owner: -
--

CREATE TABLE sales.pricing_history (
    id uuid NOT NULL,
    listing_id uuid NOT NULL,
    old_price numeric(10,2),
    new_price numeric(10,2) NOT NULL,
    change_reason character varying(100),
    market_lowest_ask numeric(10,2),
    market_highest_bid numeric(10,2),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: profile; Type: TABLE; Schema: supplier; Owner: -
--

CREATE TABLE supplier.profile (
    id uuid NOT NULL,
    name character varying(100) NOT NULL,
    slug character varying(100) NOT NULL,
    display_name character varying(150),
    supplier_type character varying(50) NOT NULL,
    business_size character varying(30),
    contact_person character varying(100),
    email character varying(100),
    phone character varying(50),
    website character varying(200),
    address_line1 character varying(200),
    address_line2 character varying(200),
    city character varying(100),
    state_province character varying(100),
    postal_code character varying(20),
    country character varying(50),
    tax_id character varying(50),
    vat_number character varying(50),
    business_registration character varying(100),
    return_policy_days integer,
    return_policy_text text,
    return_conditions character varying(500),
    accepts_exchanges boolean,
    restocking_fee_percent numeric(5,2),
    payment_terms character varying(100),
    credit_limit numeric(12,2),
    discount_percent numeric(5,2),
    minimum_order_amount numeric(10,2),
    rating numeric(3,2),
    reliability_score integer,
    quality_score integer,
    status character varying(20) NOT NULL,
    preferred boolean,
    verified boolean,
    average_processing_days integer,
    ships_internationally boolean,
    accepts_returns_by_mail boolean,
    provides_authenticity_guarantee boolean,
    has_api boolean,
    api_endpoint character varying(200),
    api_key_encrypted text,
    total_orders_count integer,
    total_order_value numeric(12,2),
    average_order_value numeric(10,2),
    last_order_date timestamp with time zone,
    notes text,
    internal_notes text,
    tags jsonb,
    supplier_category character varying(50),
    vat_rate numeric(4,2),
    return_policy text,
    default_email character varying(255),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: demand_patterns demand_patterns_pkey; Type: CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.demand_patterns
    ADD CONSTRAINT demand_patterns_pkey PRIMARY KEY (id);

--
-- Name: forecast_accuracy forecast_accuracy_pkey; Type: CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.forecast_accuracy
    ADD CONSTRAINT forecast_accuracy_pkey PRIMARY KEY (id);

--
-- Name: marketplace_data marketplace_data_pkey; Type: CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.marketplace_data
    ADD CONSTRAINT marketplace_data_pkey PRIMARY KEY (id);

--
-- Name: pricing_kpis pricing_kpis_pkey; Type: CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.pricing_kpis
    ADD CONSTRAINT pricing_kpis_pkey PRIMARY KEY (id);

--
-- Name: sales_forecasts sales_forecasts_pkey; Type: CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.sales_forecasts
    ADD CONSTRAINT sales_forecasts_pkey PRIMARY KEY (id);

--
-- Name: marketplace_data uq_marketplace_data_item_platform; Type: CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.marketplace_data
    ADD CONSTRAINT uq_marketplace_data_item_platform UNIQUE (inventory_item_id, platform_id);

--
-- Name: brand brand_name_key; Type: CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.brand
    ADD CONSTRAINT brand_name_key UNIQUE (name);

--
-- Name: brand brand_pkey; Type: CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.brand
    ADD CONSTRAINT brand_pkey PRIMARY KEY (id);

--
-- Name: brand brand_slug_key; Type: CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.brand
    ADD CONSTRAINT brand_slug_key UNIQUE (slug);

--
-- Name: brand_history brand_history_pkey; Type: CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.brand_history
    ADD CONSTRAINT brand_history_pkey PRIMARY KEY (id);

--
-- Name: brand_patterns brand_patterns_pattern_key; Type: CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.brand_patterns
    ADD CONSTRAINT brand_patterns_pattern_key UNIQUE (pattern);

--
-- Name: brand_patterns brand_patterns_pkey; Type: CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.brand_patterns
    ADD CONSTRAINT brand_patterns_pkey PRIMARY KEY (id);

--
-- Name: category category_pkey; Type: CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.category
    ADD CONSTRAINT category_pkey PRIMARY KEY (id);

--
-- Name: category category_slug_key; Type: CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.category
    ADD CONSTRAINT category_slug_key UNIQUE (slug);

--
-- Name: product product_pkey; Type: CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.product
    ADD CONSTRAINT product_pkey PRIMARY KEY (id);

--
-- Name: product product_sku_key; Type: CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.product
    ADD CONSTRAINT product_sku_key UNIQUE (sku);

--
-- Name: product_variant product_variant_pkey; Type: CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.product_variant
    ADD CONSTRAINT product_variant_pkey PRIMARY KEY (id);

--
-- Name: product_variant product_variant_stockx_variant_id_key; Type: CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.product_variant
    ADD CONSTRAINT product_variant_stockx_variant_id_key UNIQUE (stockx_variant_id);

--
-- Name: size_conversion size_conversion_pkey; Type: CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.size_conversion
    ADD CONSTRAINT size_conversion_pkey PRIMARY KEY (id);

--
-- Name: size_master size_master_pkey; Type: CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.size_master
    ADD CONSTRAINT size_master_pkey PRIMARY KEY (id);

--
-- Name: sizes sizes_pkey; Type: CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.sizes
    ADD CONSTRAINT sizes_pkey PRIMARY KEY (id);

--
-- Name: size_conversion unique_conversion; Type: CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.size_conversion
    ADD CONSTRAINT unique_conversion UNIQUE (from_standard, to_standard, gender, from_value, brand_id, category_id);

--
-- Name: size_master unique_size_gender_category; Type: CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.size_master
    ADD CONSTRAINT unique_size_gender_category UNIQUE (us_size, gender, category_id);

--
-- Name: stock stock_pkey; Type: CONSTRAINT; Schema: inventory; Owner: -
--

ALTER TABLE ONLY inventory.stock
    ADD CONSTRAINT stock_pkey PRIMARY KEY (id);

--
-- Name: stock_financial stock_financial_pkey; Type: CONSTRAINT; Schema: inventory; Owner: -
--

ALTER TABLE ONLY inventory.stock_financial
    ADD CONSTRAINT stock_financial_pkey PRIMARY KEY (id);

--
-- Name: stock_lifecycle stock_lifecycle_pkey; Type: CONSTRAINT; Schema: inventory; Owner: -
--

ALTER TABLE ONLY inventory.stock_lifecycle
    ADD CONSTRAINT stock_lifecycle_pkey PRIMARY KEY (id);

--
-- Name: stock_metrics stock_metrics_pkey; Type: CONSTRAINT; Schema: inventory; Owner: -
--

ALTER TABLE ONLY inventory.stock_metrics
    ADD CONSTRAINT stock_metrics_pkey PRIMARY KEY (id);

--
-- Name: stock_reservation stock_reservation_pkey; Type: CONSTRAINT; Schema: inventory; Owner: -
--

ALTER TABLE ONLY inventory.stock_reservation
    ADD CONSTRAINT stock_reservation_pkey PRIMARY KEY (id);

--
-- Name: marketplace marketplace_name_key; Type: CONSTRAINT; Schema: platform; Owner: -
--

ALTER TABLE ONLY platform.marketplace
    ADD CONSTRAINT marketplace_name_key UNIQUE (name);

--
-- Name: marketplace marketplace_pkey; Type: CONSTRAINT; Schema: platform; Owner: -
--

ALTER TABLE ONLY platform.marketplace
    ADD CONSTRAINT marketplace_pkey PRIMARY KEY (id);

--
-- Name: marketplace marketplace_slug_key; Type: CONSTRAINT; Schema: platform; Owner: -
--

ALTER TABLE ONLY platform.marketplace
    ADD CONSTRAINT marketplace_slug_key UNIQUE (slug);

--
-- Name: listing listing_pkey; Type: CONSTRAINT; Schema: sales; Owner: -
--

ALTER TABLE ONLY sales.listing
    ADD CONSTRAINT listing_pkey PRIMARY KEY (id);

--
-- Name: order order_pkey; Type: CONSTRAINT; Schema: sales; Owner: -
--

ALTER TABLE ONLY sales."order"
    ADD CONSTRAINT order_pkey PRIMARY KEY (id);

--
-- Name: pricing_history pricing_history_pkey; Type: CONSTRAINT; Schema: sales; Owner: -
--

ALTER TABLE ONLY sales.pricing_history
    ADD CONSTRAINT pricing_history_pkey PRIMARY KEY (id);

--
-- Name: profile profile_pkey; Type: CONSTRAINT; Schema: supplier; Owner: -
--

ALTER TABLE ONLY supplier.profile
    ADD CONSTRAINT profile_pkey PRIMARY KEY (id);

--
-- Name: profile profile_slug_key; Type: CONSTRAINT; Schema: supplier; Owner: -
--

ALTER TABLE ONLY supplier.profile
    ADD CONSTRAINT profile_slug_key UNIQUE (slug);

--
-- Name: idx_brand_history_brand_id; Type: INDEX; Schema: catalog; Owner: -
--

CREATE INDEX idx_brand_history_brand_id ON catalog.brand_history USING btree (brand_id);

--
-- Name: idx_brand_history_collaboration; Type: INDEX; Schema: catalog; Owner: -
--

CREATE INDEX idx_brand_history_collaboration ON catalog.brand_history USING btree (brand_id, related_brand_id) WHERE (event_type = 'collaboration'::catalog.brand_event_type);

--
-- Name: idx_brand_history_event_date; Type: INDEX; Schema: catalog; Owner: -
--

CREATE INDEX idx_brand_history_event_date ON catalog.brand_history USING btree (event_date);

--
-- Name: idx_brand_history_event_type; Type: INDEX; Schema: catalog; Owner: -
--

CREATE INDEX idx_brand_history_event_type ON catalog.brand_history USING btree (event_type);

--
-- Name: idx_brand_history_event_year; Type: INDEX; Schema: catalog; Owner: -
--

CREATE INDEX idx_brand_history_event_year ON catalog.brand_history USING btree (event_year);

--
-- Name: idx_product_enrichment_data; Type: INDEX; Schema: catalog; Owner: -
--

CREATE INDEX idx_product_enrichment_data ON catalog.product USING gin (enrichment_data);

--
-- Name: idx_product_stockx_id; Type: INDEX; Schema: catalog; Owner: -
--

CREATE INDEX idx_product_stockx_id ON catalog.product USING btree (stockx_product_id);

--
-- Name: idx_size_conversion_brand; Type: INDEX; Schema: catalog; Owner: -
--

CREATE INDEX idx_size_conversion_brand ON catalog.size_conversion USING btree (brand_id);

--
-- Name: idx_size_conversion_lookup; Type: INDEX; Schema: catalog; Owner: -
--

CREATE INDEX idx_size_conversion_lookup ON catalog.size_conversion USING btree (from_standard, to_standard, gender, from_value);

--
-- Name: idx_size_master_category; Type: INDEX; Schema: catalog; Owner: -
--

CREATE INDEX idx_size_master_category ON catalog.size_master USING btree (category_id);

--
-- Name: idx_size_master_lookup; Type: INDEX; Schema: catalog; Owner: -
--

CREATE INDEX idx_size_master_lookup ON catalog.size_master USING btree (us_size, gender);

--
-- Name: idx_size_master_validation; Type: INDEX; Schema: catalog; Owner: -
--

CREATE INDEX idx_size_master_validation ON catalog.size_master USING btree (last_validated_at);

--
-- Name: idx_variant_condition; Type: INDEX; Schema: catalog; Owner: -
--

CREATE INDEX idx_variant_condition ON catalog.product_variant USING btree (condition);

--
-- Name: idx_variant_data; Type: INDEX; Schema: catalog; Owner: -
--

CREATE INDEX idx_variant_data ON catalog.product_variant USING gin (variant_data);

--
-- Name: idx_variant_product; Type: INDEX; Schema: catalog; Owner: -
--

CREATE INDEX idx_variant_product ON catalog.product_variant USING btree (product_id);

--
-- Name: idx_variant_size; Type: INDEX; Schema: catalog; Owner: -
--

CREATE INDEX idx_variant_size ON catalog.product_variant USING btree (size_master_id);

--
-- Name: idx_variant_stockx; Type: INDEX; Schema: catalog; Owner: -
--

CREATE INDEX idx_variant_stockx ON catalog.product_variant USING btree (stockx_variant_id);

--
-- Name: idx_stock_financial_stock; Type: INDEX; Schema: inventory; Owner: -
--

CREATE INDEX idx_stock_financial_stock ON inventory.stock_financial USING btree (stock_id);

--
-- Name: idx_stock_lifecycle_stock; Type: INDEX; Schema: inventory; Owner: -
--

CREATE INDEX idx_stock_lifecycle_stock ON inventory.stock_lifecycle USING btree (stock_id);

--
-- Name: idx_stock_metrics_stock; Type: INDEX; Schema: inventory; Owner: -
--

CREATE UNIQUE INDEX idx_stock_metrics_stock ON inventory.stock_metrics USING btree (stock_id);

--
-- Name: idx_stock_reservation_stock; Type: INDEX; Schema: inventory; Owner: -
--

CREATE INDEX idx_stock_reservation_stock ON inventory.stock_reservation USING btree (stock_id);

--
-- Name: ix_sales_listing_status; Type: INDEX; Schema: sales; Owner: -
--

CREATE INDEX ix_sales_listing_status ON sales.listing USING btree (status);

--
-- Name: ix_sales_listing_stockx_listing_id; Type: INDEX; Schema: sales; Owner: -
--

CREATE UNIQUE INDEX ix_sales_listing_stockx_listing_id ON sales.listing USING btree (stockx_listing_id);

--
-- Name: ix_sales_order_external_id; Type: INDEX; Schema: sales; Owner: -
--

CREATE INDEX ix_sales_order_external_id ON sales."order" USING btree (external_id);

--
-- Name: ix_sales_order_payout_received; Type: INDEX; Schema: sales; Owner: -
--

CREATE INDEX ix_sales_order_payout_received ON sales."order" USING btree (payout_received);

--
-- Name: ix_sales_order_platform_id; Type: INDEX; Schema: sales; Owner: -
--

CREATE INDEX ix_sales_order_platform_id ON sales."order" USING btree (platform_id);

--
-- Name: ix_sales_order_sold_at; Type: INDEX; Schema: sales; Owner: -
--

CREATE INDEX ix_sales_order_sold_at ON sales."order" USING btree (sold_at);

--
-- Name: ix_sales_order_status; Type: INDEX; Schema: sales; Owner: -
--

CREATE INDEX ix_sales_order_status ON sales."order" USING btree (status);

--
-- Name: ix_sales_order_stockx_order_number; Type: INDEX; Schema: sales; Owner: -
--

CREATE UNIQUE INDEX ix_sales_order_stockx_order_number ON sales."order" USING btree (stockx_order_number);

--
-- Name: demand_patterns demand_patterns_brand_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.demand_patterns
    ADD CONSTRAINT demand_patterns_brand_id_fkey FOREIGN KEY (brand_id) REFERENCES catalog.brand(id);

--
-- Name: demand_patterns demand_patterns_category_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.demand_patterns
    ADD CONSTRAINT demand_patterns_category_id_fkey FOREIGN KEY (category_id) REFERENCES catalog.category(id);

--
-- Name: demand_patterns demand_patterns_product_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.demand_patterns
    ADD CONSTRAINT demand_patterns_product_id_fkey FOREIGN KEY (product_id) REFERENCES catalog.product(id);

--
-- Name: marketplace_data marketplace_data_inventory_item_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.marketplace_data
    ADD CONSTRAINT marketplace_data_inventory_item_id_fkey FOREIGN KEY (inventory_item_id) REFERENCES inventory.stock(id);

--
-- Name: marketplace_data marketplace_data_platform_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.marketplace_data
    ADD CONSTRAINT marketplace_data_platform_id_fkey FOREIGN KEY (platform_id) REFERENCES platform.marketplace(id);

--
-- Name: pricing_kpis pricing_kpis_brand_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.pricing_kpis
    ADD CONSTRAINT pricing_kpis_brand_id_fkey FOREIGN KEY (brand_id) REFERENCES catalog.brand(id);

--
-- Name: pricing_kpis pricing_kpis_category_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.pricing_kpis
    ADD CONSTRAINT pricing_kpis_category_id_fkey FOREIGN KEY (category_id) REFERENCES catalog.category(id);

--
-- Name: pricing_kpis pricing_kpis_platform_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.pricing_kpis
    ADD CONSTRAINT pricing_kpis_platform_id_fkey FOREIGN KEY (platform_id) REFERENCES platform.marketplace(id);

--
-- Name: pricing_kpis pricing_kpis_product_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.pricing_kpis
    ADD CONSTRAINT pricing_kpis_product_id_fkey FOREIGN KEY (product_id) REFERENCES catalog.product(id);

--
-- Name: sales_forecasts sales_forecasts_brand_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.sales_forecasts
    ADD CONSTRAINT sales_forecasts_brand_id_fkey FOREIGN KEY (brand_id) REFERENCES catalog.brand(id);

--
-- Name: sales_forecasts sales_forecasts_category_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.sales_forecasts
    ADD CONSTRAINT sales_forecasts_category_id_fkey FOREIGN KEY (category_id) REFERENCES catalog.category(id);

--
-- Name: sales_forecasts sales_forecasts_platform_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.sales_forecasts
    ADD CONSTRAINT sales_forecasts_platform_id_fkey FOREIGN KEY (platform_id) REFERENCES platform.marketplace(id);

--
-- Name: sales_forecasts sales_forecasts_product_id_fkey; Type: FK CONSTRAINT; Schema: analytics; Owner: -
--

ALTER TABLE ONLY analytics.sales_forecasts
    ADD CONSTRAINT sales_forecasts_product_id_fkey FOREIGN KEY (product_id) REFERENCES catalog.product(id);

--
-- Name: brand_history brand_history_brand_id_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.brand_history
    ADD CONSTRAINT brand_history_brand_id_fkey FOREIGN KEY (brand_id) REFERENCES catalog.brand(id) ON DELETE CASCADE;

--
-- Name: brand_history brand_history_related_brand_id_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.brand_history
    ADD CONSTRAINT brand_history_related_brand_id_fkey FOREIGN KEY (related_brand_id) REFERENCES catalog.brand(id) ON DELETE SET NULL;

--
-- Name: brand_patterns brand_patterns_brand_id_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.brand_patterns
    ADD CONSTRAINT brand_patterns_brand_id_fkey FOREIGN KEY (brand_id) REFERENCES catalog.brand(id);

--
-- Name: category category_parent_id_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.category
    ADD CONSTRAINT category_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES catalog.category(id);

--
-- Name: product product_brand_id_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.product
    ADD CONSTRAINT product_brand_id_fkey FOREIGN KEY (brand_id) REFERENCES catalog.brand(id);

--
-- Name: product product_category_id_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.product
    ADD CONSTRAINT product_category_id_fkey FOREIGN KEY (category_id) REFERENCES catalog.category(id);

--
-- Name: product_variant product_variant_product_id_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.product_variant
    ADD CONSTRAINT product_variant_product_id_fkey FOREIGN KEY (product_id) REFERENCES catalog.product(id) ON DELETE CASCADE;

--
-- Name: product_variant product_variant_size_master_id_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.product_variant
    ADD CONSTRAINT product_variant_size_master_id_fkey FOREIGN KEY (size_master_id) REFERENCES catalog.size_master(id);

--
-- Name: size_conversion size_conversion_brand_id_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.size_conversion
    ADD CONSTRAINT size_conversion_brand_id_fkey FOREIGN KEY (brand_id) REFERENCES catalog.brand(id);

--
-- Name: size_conversion size_conversion_category_id_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.size_conversion
    ADD CONSTRAINT size_conversion_category_id_fkey FOREIGN KEY (category_id) REFERENCES catalog.category(id);

--
-- Name: size_master size_master_category_id_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.size_master
    ADD CONSTRAINT size_master_category_id_fkey FOREIGN KEY (category_id) REFERENCES catalog.category(id);

--
-- Name: sizes sizes_category_id_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: -
--

ALTER TABLE ONLY catalog.sizes
    ADD CONSTRAINT sizes_category_id_fkey FOREIGN KEY (category_id) REFERENCES catalog.category(id);

--
-- Name: stock stock_product_id_fkey; Type: FK CONSTRAINT; Schema: inventory; Owner: -
--

ALTER TABLE ONLY inventory.stock
    ADD CONSTRAINT stock_product_id_fkey FOREIGN KEY (product_id) REFERENCES catalog.product(id);

--
-- Name: stock stock_size_id_fkey; Type: FK CONSTRAINT; Schema: inventory; Owner: -
--

ALTER TABLE ONLY inventory.stock
    ADD CONSTRAINT stock_size_id_fkey FOREIGN KEY (size_id) REFERENCES catalog.sizes(id) NOT VALID;

--
-- Name: stock stock_supplier_id_fkey; Type: FK CONSTRAINT; Schema: inventory; Owner: -
--

ALTER TABLE ONLY inventory.stock
    ADD CONSTRAINT stock_supplier_id_fkey FOREIGN KEY (supplier_id) REFERENCES supplier.profile(id);

--
-- Name: stock_financial stock_financial_stock_id_fkey; Type: FK CONSTRAINT; Schema: inventory; Owner: -
--

ALTER TABLE ONLY inventory.stock_financial
    ADD CONSTRAINT stock_financial_stock_id_fkey FOREIGN KEY (stock_id) REFERENCES inventory.stock(id) ON DELETE CASCADE;

--
-- Name: stock_lifecycle stock_lifecycle_stock_id_fkey; Type: FK CONSTRAINT; Schema: inventory; Owner: -
--

ALTER TABLE ONLY inventory.stock_lifecycle
    ADD CONSTRAINT stock_lifecycle_stock_id_fkey FOREIGN KEY (stock_id) REFERENCES inventory.stock(id) ON DELETE CASCADE;

--
-- Name: stock_metrics stock_metrics_stock_id_fkey; Type: FK CONSTRAINT; Schema: inventory; Owner: -
--

ALTER TABLE ONLY inventory.stock_metrics
    ADD CONSTRAINT stock_metrics_stock_id_fkey FOREIGN KEY (stock_id) REFERENCES inventory.stock(id) ON DELETE CASCADE;

--
-- Name: stock_reservation stock_reservation_stock_id_fkey; Type: FK CONSTRAINT; Schema: inventory; Owner: -
--

ALTER TABLE ONLY inventory.stock_reservation
    ADD CONSTRAINT stock_reservation_stock_id_fkey FOREIGN KEY (stock_id) REFERENCES inventory.stock(id) ON DELETE CASCADE;

--
-- Name: listing listing_inventory_item_id_fkey; Type: FK CONSTRAINT; Schema: sales; Owner: -
--

ALTER TABLE ONLY sales.listing
    ADD CONSTRAINT listing_inventory_item_id_fkey FOREIGN KEY (inventory_item_id) REFERENCES inventory.stock(id);

--
-- Name: order order_inventory_item_id_fkey; Type: FK CONSTRAINT; Schema: sales; Owner: -
--

ALTER TABLE ONLY sales."order"
    ADD CONSTRAINT order_inventory_item_id_fkey FOREIGN KEY (inventory_item_id) REFERENCES inventory.stock(id);

--
-- Name: order order_listing_id_fkey; Type: FK CONSTRAINT; Schema: sales; Owner: -
--

ALTER TABLE ONLY sales."order"
    ADD CONSTRAINT order_listing_id_fkey FOREIGN KEY (listing_id) REFERENCES sales.listing(id);

--
-- Name: pricing_history pricing_history_listing_id_fkey; Type: FK CONSTRAINT; Schema: sales; Owner: -
--

ALTER TABLE ONLY sales.pricing_history
    ADD CONSTRAINT pricing_history_listing_id_fkey FOREIGN KEY (listing_id) REFERENCES sales.listing(id);

--
-- End of schema (before state, 2025-11-17)
--
