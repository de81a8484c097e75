# لوحة البنوك (dash-)، وصفحة بيانات البنك ومكوّناتها (bank-)، ونتائج Link SDK (flow-).
# تبقى التواريخ بصيغة ISO ‏(YYYY-MM-DD) في اللغتين، والمبالغ بالأرقام اللاتينية.

## Dashboard
dash-title = بنوكك
dash-lead = تظهر الاتصالات هنا فور تأكيدها من Lean.
dash-empty = لم تربط أي بنك بعد.
dash-empty-hint = استخدم «ربط بنك» لربط بنك من بيئة Lean التجريبية.
dash-history-title = آخر نتائج Link SDK
dash-history-lead = نحتفظ هنا بنتيجة كل إغلاق لـ Link SDK. إذا حدث خطأ فاذكر معرّف التتبّع لدعم Lean.
dash-history-empty = لا شيء بعد.
dash-col-when = الوقت (UTC)
dash-col-flow = العملية
dash-col-status = الحالة
dash-col-detail = التفاصيل
dash-col-exit-point = نقطة الخروج
dash-col-correlation = معرّف التتبّع

## Bank card (dashboard)
bank-connect = ربط بنك
bank-connecting = جارٍ الربط…
bank-connect-again = اربط البنك مجددًا
bank-status-active = نشط
bank-status-reconnect-required = يلزم إعادة الاتصال
bank-status-consent-expired = انتهت الموافقة
bank-status-deleted = غير مرتبط
bank-data-fetching = جارٍ جلب البيانات من البنك…
bank-data-ready = البيانات جاهزة
bank-data-failed = تعذّر على البنك تقديم البيانات
bank-data-refreshing = جارٍ تحديث البيانات
bank-permissions-granted = الصلاحيات الممنوحة
bank-permission-identity = الهوية
bank-permission-accounts = الحسابات
bank-permission-balance = الأرصدة
bank-permission-transactions = المعاملات
bank-permission-payments = المدفوعات
bank-view-data = الحسابات والمعاملات
bank-disconnect = إلغاء الربط
bank-disconnect-question = إلغاء ربط { $bank }؟ ستتوقف Lean عن مشاركة بياناته مع هذا التطبيق.
bank-disconnect-yes = نعم، ألغِ الربط
bank-disconnect-keep = أبقِه

## Bank page
bank-back = → بنوكك
bank-loading = جارٍ طلب بيانات هذا البنك من Lean…
bank-not-yours = هذا الاتصال البنكي لا يخصّك.
bank-the-bank = البنك
bank-pending = لا تزال Lean تجلب هذه البيانات من البنك.
bank-pending-hint = ستظهر هنا تلقائيًا فور إعلام Lean بجاهزيتها، دون الحاجة إلى إعادة تحميل الصفحة.
bank-failed = تعذّر على { $bank } تقديم هذه البيانات:
bank-lean-code = رمز Lean:
bank-consent-expired = انتهت موافقتك على مشاركة بيانات { $bank }. اربط البنك مجددًا لتجديدها.
bank-reconnect-required = يطلب { $bank } تسجيل الدخول مجددًا قبل أن تتمكّن Lean من جلب بيانات جديدة.
bank-reconnect = إعادة الاتصال
bank-reconnecting = جارٍ إعادة الاتصال…
bank-accounts-title = الحسابات
bank-no-accounts = لم تجد Lean أي حساب لدى هذا البنك.
bank-kind-current = حساب جارٍ
bank-kind-savings = حساب توفير
bank-kind-credit-card = بطاقة ائتمان
bank-balance = الرصيد
bank-balance-available = المتاح الآن
bank-balance-booked = الرصيد المقيّد
bank-transactions-title = المعاملات
bank-from = من
bank-to = إلى
bank-tx-loading = جارٍ تحميل المعاملات…
bank-tx-empty = لا توجد معاملات في هذه الفترة.
bank-col-date = التاريخ
bank-col-description = الوصف
bank-col-category = الفئة
bank-col-amount = المبلغ
bank-pages-label = صفحات المعاملات
bank-newer = الأحدث
bank-older = الأقدم
bank-page-of = الصفحة { $page } من { $total }
bank-identity-title = صاحب الحساب
bank-identity-name = الاسم
bank-identity-email = البريد الإلكتروني
bank-identity-mobile = الجوال
bank-identity-address = العنوان
bank-refresh = تحديث البيانات
bank-refresh-running = تجلب Lean بيانات محدّثة من البنك…
bank-refresh-done = البيانات محدّثة.
bank-refresh-failed = فشل آخر تحديث؛ حاول مجددًا لاحقًا.
bank-refresh-consent-expired = انتهت الموافقة؛ اربط البنك مجددًا.
bank-refresh-reconnect = يطلب البنك تسجيل الدخول مجددًا.

## Charts
bank-charts-loading = جارٍ رسم آخر 90 يومًا…
bank-chart-spending-title = الإنفاق حسب الفئة · آخر 90 يومًا
bank-chart-balance-title = الرصيد عبر الزمن
bank-chart-no-spending = لا يوجد إنفاق في هذه الفترة.
bank-chart-not-enough = لا يوجد سجلّ كافٍ للرسم.
bank-chart-spending-label = الإنفاق حسب الفئة: { $summary }
bank-chart-balance-label = الرصيد من { $from } إلى { $to }: من { $start } إلى { $end }؛ الأدنى { $low }، الأعلى { $high }
bank-chart-high = الأعلى { $amount }
bank-chart-low = الأدنى { $amount }
bank-month-1 = يناير
bank-month-2 = فبراير
bank-month-3 = مارس
bank-month-4 = أبريل
bank-month-5 = مايو
bank-month-6 = يونيو
bank-month-7 = يوليو
bank-month-8 = أغسطس
bank-month-9 = سبتمبر
bank-month-10 = أكتوبر
bank-month-11 = نوفمبر
bank-month-12 = ديسمبر

## Lean's transaction categories (insights.category)
bank-category-groceries = البقالة
bank-category-restaurants-dining = المطاعم والمقاهي
bank-category-transport = المواصلات
bank-category-retail = التسوّق
bank-category-entertainment = الترفيه
bank-category-health-and-wellbeing = الصحة واللياقة
bank-category-travel = السفر
bank-category-money-transfer = التحويلات المالية
bank-category-transfer = التحويلات
bank-category-rent-and-services = الإيجار والخدمات
bank-category-bill-payments = الفواتير
bank-category-salary-and-revenue = الراتب والدخل
bank-category-loans-and-investment = القروض والاستثمار
bank-category-education = التعليم
bank-category-other = أخرى

## Validation (server)
bank-error-date = أدخل تاريخًا بصيغة 2026-01-31.
bank-error-date-order = يجب ألا يكون تاريخ البداية بعد تاريخ النهاية.
bank-error-page = هذه الصفحة غير موجودة.
bank-error-account-id = هذا ليس معرّف حساب صالحًا.
bank-error-entity-id = هذا ليس معرّف اتصال بنكي صالحًا.
bank-error-no-reconnect = لا يحتاج هذا البنك إلى إعادة الاتصال.
bank-error-refresh-running = يجري تحديث هذا البنك بالفعل، ويظهر تقدّمه هنا.

## Link SDK outcomes
flow-connected = تم ربط البنك. تؤكّد Lean الربط الآن، وسيظهر أدناه خلال لحظات.
flow-already-connected = { $bank } مرتبط من قبل. حدّثت Lean ذلك الاتصال بدلًا من إضافة اتصال ثانٍ.
flow-renewed = تم ربط البنك مجددًا. ستظهر بياناته هنا فور تأكيد Lean للموافقة الجديدة.
flow-cancelled = أغلقت نافذة ربط البنك قبل الانتهاء. لم يُربط أي بنك.
flow-error = لم يكتمل ربط البنك:
flow-unknown-error = خطأ غير معروف
flow-other-status = أُغلقت Link SDK بالحالة { $status }.
flow-support-reference = المرجع لدعم Lean:
flow-status-success = نجاح
flow-status-error = خطأ
flow-status-cancelled = أُلغي
flow-status-redirect = أُعيد التوجيه
flow-status-closed = أُغلق
flow-error-method = «{ $method }» ليست عملية من عمليات Link SDK.
flow-error-status = «{ $status }» ليست حالة من حالات Link SDK.
flow-error-too-long = بيانات الاستدعاء أطول من أن تُحفظ.
