<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
    <context>
        <name>AccountHomeScreen</name>
        <message>
            <location filename="../../ui/screens/account_home.py" line="31" />
            <source>Add money</source>
            <translation>Agregar dinero</translation>
        </message>
        <message>
            <location filename="../../ui/screens/account_home.py" line="32" />
            <source>Buy a subscription</source>
            <translation>Comprar suscripción</translation>
        </message>
        <message>
            <location filename="../../ui/screens/account_home.py" line="33" />
            <source>My subscriptions</source>
            <translation>Mis suscripciones</translation>
        </message>
        <message>
            <location filename="../../ui/screens/account_home.py" line="34" />
            <source>Add a loved one</source>
            <translation>Agregar a un ser querido</translation>
        </message>
        <message>
            <location filename="../../ui/screens/account_home.py" line="35" />
            <source>Calls not covered</source>
            <translation>Llamadas no cubiertas</translation>
        </message>
        <message>
            <location filename="../../ui/screens/account_home.py" line="36" />
            <source>Which plan costs least?</source>
            <translation>¿Qué plan cuesta menos?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/account_home.py" line="125" />
            <source>Your account</source>
            <translation>Su cuenta</translation>
        </message>
        <message>
            <location filename="../../ui/screens/account_home.py" line="130" />
            <source>Hello, {name}</source>
            <translation>Hola, {name}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/account_home.py" line="132" />
            <source>AdvanceConnect balance: {amount}</source>
            <translation>Saldo de AdvanceConnect: {amount}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/account_home.py" line="138" />
            <source>Your loved ones: {names}</source>
            <translation>Sus seres queridos: {names}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/account_home.py" line="142" />
            <source>Waiting to be added when the kiosk reconnects: {names}</source>
            <translation>Por agregar cuando el quiosco se vuelva a conectar: {names}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/account_home.py" line="141" />
            <source>No subscription yet.</source>
            <translation>Todavía no tiene una suscripción.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/account_home.py" line="160" />
            <source>Your subscriptions</source>
            <translation>Sus suscripciones</translation>
        </message>
        <message>
            <location filename="../../ui/screens/account_home.py" line="161" />
            <source>Sign out</source>
            <translation>Cerrar sesión</translation>
        </message>
        <message>
            <location filename="../../ui/screens/account_home.py" line="162" />
            <source>Sign out and return to the start</source>
            <translation>Cerrar sesión y volver al inicio</translation>
        </message>
    </context>
    <context>
        <name>AdvisorBasisScreen</name>
        <message>
            <location filename="../../ui/screens/advisor_basis.py" line="56" />
            <source>Which plan costs you least?</source>
            <translation>¿Qué plan le cuesta menos?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/advisor_basis.py" line="58" />
            <source>We can price every option on the calls you made in your last full months, or on your own guess of a usual month.</source>
            <translation>Podemos calcular el precio de cada opción con las llamadas que hizo en sus últimos meses completos, o con su propio cálculo de un mes normal.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/advisor_basis.py" line="62" />
            <source>From my calls so far</source>
            <translation>Con mis llamadas hasta ahora</translation>
        </message>
        <message>
            <location filename="../../ui/screens/advisor_basis.py" line="63" />
            <source>From my own estimate</source>
            <translation>Con mi propio cálculo</translation>
        </message>
    </context>
    <context>
        <name>AdvisorEstimateScreen</name>
        <message>
            <location filename="../../ui/screens/advisor_estimate.py" line="58" />
            <source>What costs you least?</source>
            <translation>¿Qué le cuesta menos?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/advisor_estimate.py" line="59" />
            <source>A usual month; nothing is bought here.</source>
            <translation>Un mes normal; aquí no se compra nada.</translation>
        </message>
    </context>
    <context>
        <name>AdvisorResultScreen</name>
        <message>
            <location filename="../../ui/screens/advisor_result.py" line="75" />
            <source>What each option would cost you a month</source>
            <translation>Lo que le costaría cada opción al mes</translation>
        </message>
        <message>
            <location filename="../../ui/screens/advisor_result.py" line="84" />
            <source>Cheapest for you: {option}, about {cost} a month. That is {saving} a month less than paying for each call or session.</source>
            <translation>Lo más barato para usted: {option}, unos {cost} al mes. Son {saving} al mes menos que pagar cada llamada o sesión.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/advisor_result.py" line="90" />
            <source>Cheapest for you: {option}, about {cost} a month. A subscription would not save you money.</source>
            <translation>Lo más barato para usted: {option}, unos {cost} al mes. Una suscripción no le ahorraría dinero.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/advisor_result.py" line="94" />
            <source>From your calls in your last full months. {reason}</source>
            <translation>Según sus llamadas de sus últimos meses completos. {reason}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/advisor_result.py" line="98" />
            <source>{cost}/month</source>
            <translation>{cost}/mes</translation>
        </message>
        <message>
            <location filename="../../ui/screens/advisor_result.py" line="103" />
            <location filename="../../ui/screens/advisor_result.py" line="104" />
            <source>Enter my own estimate</source>
            <translation>Escribir mi propio cálculo</translation>
        </message>
        <message>
            <location filename="../../ui/screens/advisor_result.py" line="105" />
            <location filename="../../ui/screens/advisor_result.py" line="106" />
            <source>Back to my account</source>
            <translation>Volver a mi cuenta</translation>
        </message>
    </context>
    <context>
        <name>AttractScreen</name>
        <message>
            <location filename="../../ui/screens/attract.py" line="47" />
            <source>Stay connected</source>
            <translation>Manténgase en contacto</translation>
        </message>
        <message>
            <location filename="../../ui/screens/attract.py" line="49" />
            <source>Create an account here to get calls and video visits from your loved one.</source>
            <translation>Cree una cuenta aquí para recibir llamadas y visitas por video de su ser querido.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/attract.py" line="51" />
            <source>Touch to start</source>
            <translation>Toque para empezar</translation>
        </message>
        <message>
            <location filename="../../ui/screens/attract.py" line="52" />
            <source>Start</source>
            <translation>Empezar</translation>
        </message>
    </context>
    <context>
        <name>BuyPlanScreen</name>
        <message>
            <location filename="../../ui/screens/buy_plan.py" line="24" />
            <source>{name}
{price} a month · unlimited video sessions</source>
            <translation>{name}
{price} al mes · sesiones de video ilimitadas</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_plan.py" line="30" />
            <source>{name}
{price} a month · {count} calls (about {each} each)
In-state calls only</source>
            <translation>{name}
{price} al mes · {count} llamadas (unos {each} cada una)
Solo llamadas dentro del estado</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_plan.py" line="36" />
            <source>{name}
{price} a month · {count} video sessions (about {each} each)</source>
            <translation>{name}
{price} al mes · {count} sesiones de video (unos {each} cada una)</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_plan.py" line="104" />
            <source>Choose a subscription</source>
            <translation>Elija una suscripción</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_plan.py" line="106" />
            <source>These are the plans your loved one's facility offers. Prices are per month.</source>
            <translation>Estos son los planes que ofrece el centro de su ser querido. Los precios son por mes.</translation>
        </message>
    </context>
    <context>
        <name>BuyReceiptScreen</name>
        <message>
            <location filename="../../ui/screens/buy_receipt.py" line="41" />
            <location filename="../../ui/screens/buy_receipt.py" line="52" />
            <source>You're subscribed</source>
            <translation>Ya tiene su suscripción</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_receipt.py" line="42" />
            <source>{summary}
No refunds.</source>
            <translation>{summary}
Sin reembolsos.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_receipt.py" line="44" />
            <source>Plan</source>
            <translation>Plan</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_receipt.py" line="45" />
            <source>Charged today</source>
            <translation>Cobrado hoy</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_receipt.py" line="46" />
            <source>Paid until</source>
            <translation>Pagado hasta</translation>
        </message>
        <message>
            <source>{summary}
Paid with {card}. No refunds.</source>
            <translation>{summary}
Pagado con {card}. Sin reembolsos.</translation>
        </message>
    </context>
    <context>
        <name>BuyRenewalScreen</name>
        <message>
            <location filename="../../ui/screens/buy_renewal.py" line="61" />
            <source>How should it renew?</source>
            <translation>¿Cómo desea renovarla?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_renewal.py" line="64" />
            <source>Automatic renewal charges your card on file each month until you cancel. By hand, it ends at the end of the month unless you renew it here.</source>
            <translation>La renovación automática cobra a su tarjeta guardada cada mes hasta que cancele. Si la renueva usted, termina al final del mes a menos que la renueve aquí.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_renewal.py" line="68" />
            <source>Renew automatically</source>
            <translation>Renovar automáticamente</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_renewal.py" line="69" />
            <source>Renew automatically with my card</source>
            <translation>Renovar automáticamente con mi tarjeta</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_renewal.py" line="70" />
            <location filename="../../ui/screens/buy_renewal.py" line="71" />
            <source>I will renew it myself</source>
            <translation>La renovaré yo</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_renewal.py" line="80" />
            <source>Automatic renewal charges {price} to your card on file each month until you cancel, the next time on {date}. By hand, it ends at the end of the month unless you renew it here.</source>
            <translation>La renovación automática cobra {price} a su tarjeta guardada cada mes hasta que cancele, la próxima vez el {date}. Si la renueva usted, termina al final del mes a menos que la renueve aquí.</translation>
        </message>
    </context>
    <context>
        <name>BuyTermsScreen</name>
        <message>
            <location filename="../../ui/screens/buy_terms.py" line="92" />
            <source>Please check before you pay</source>
            <translation>Revise antes de pagar</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_terms.py" line="95" />
            <source>Plan</source>
            <translation>Plan</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_terms.py" line="96" />
            <source>Included</source>
            <translation>Incluye</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_terms.py" line="97" />
            <source>Period</source>
            <translation>Período</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_terms.py" line="98" />
            <source>Renewal</source>
            <translation>Renovación</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_terms.py" line="99" />
            <source>Paid with</source>
            <translation>Se paga con</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_terms.py" line="105" />
            <source>{coverage} In-state calls only.</source>
            <translation>{coverage} Solo llamadas dentro del estado.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_terms.py" line="107" />
            <source>{plan}: {price} today</source>
            <translation>{plan}: {price} hoy</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_terms.py" line="111" />
            <source>From {start} to {end}</source>
            <translation>Del {start} al {end}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_terms.py" line="114" />
            <source>Renews automatically on {date}: {price} charged to your card</source>
            <translation>Se renueva automáticamente el {date}: se cobran {price} a su tarjeta</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_terms.py" line="116" />
            <source>Ends {date} unless you renew it</source>
            <translation>Termina el {date} a menos que la renueve</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_terms.py" line="117" />
            <source>No card on file yet</source>
            <translation>Todavía no hay una tarjeta guardada</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_terms.py" line="122" />
            <source>I have read this: no refunds</source>
            <translation>Lo leí: sin reembolsos</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_terms.py" line="123" />
            <source>I accept the no-refund terms</source>
            <translation>Acepto las condiciones sin reembolso</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_terms.py" line="125" />
            <source>Add a card to pay</source>
            <translation>Agregar una tarjeta para pagar</translation>
        </message>
        <message>
            <location filename="../../ui/screens/buy_terms.py" line="128" />
            <source>Pay {price}</source>
            <translation>Pagar {price}</translation>
        </message>
        <message>
            <source>Pay {price} on the card reader</source>
            <translation>Pagar {price} en el lector de tarjetas</translation>
        </message>
        <message>
            <source>Pay on the card reader instead</source>
            <translation>Pagar en el lector de tarjetas</translation>
        </message>
        <message>
            <source>Type a card number (staff)</source>
            <translation>Escribir un número de tarjeta (personal)</translation>
        </message>
        <message>
            <source>The card reader</source>
            <translation>El lector de tarjetas</translation>
        </message>
    </context>
    <context>
        <name>CardEntryScreen</name>
        <message>
            <location filename="../../ui/screens/card_entry.py" line="87" />
            <source>Add a card</source>
            <translation>Agregar una tarjeta</translation>
        </message>
        <message>
            <location filename="../../ui/screens/card_entry.py" line="89" />
            <source>We keep only its last 4 numbers.</source>
            <translation>Solo guardamos sus últimos 4 números.</translation>
        </message>
    </context>
    <context>
        <name>CardText</name>
        <message>
            <location filename="../../ui/card_text.py" line="15" />
            <source>{brand} ending in {last4}</source>
            <translation>{brand} terminada en {last4}</translation>
        </message>
    </context>
    <context>
        <name>CountdownOverlay</name>
        <message>
            <location filename="../../ui/widgets/countdown.py" line="63" />
            <source>Returning to the start in 1 second.</source>
            <translation>Volveremos al inicio en 1 segundo.</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/countdown.py" line="65" />
            <source>Returning to the start in {seconds} seconds.</source>
            <translation>Volveremos al inicio en {seconds} segundos.</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/countdown.py" line="77" />
            <source>Are you still there?</source>
            <translation>¿Sigue ahí?</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/countdown.py" line="78" />
            <source>What you typed will be erased.</source>
            <translation>Se borrará lo que escribió.</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/countdown.py" line="80" />
            <location filename="../../ui/widgets/countdown.py" line="81" />
            <source>I need more time</source>
            <translation>Necesito más tiempo</translation>
        </message>
    </context>
    <context>
        <name>DepositAmountScreen</name>
        <message>
            <location filename="../../ui/screens/deposit_amount.py" line="80" />
            <source>You can add from {low} to {high}.</source>
            <translation>Puede agregar de {low} a {high}.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/deposit_amount.py" line="80" />
            <source>How much do you want to add?</source>
            <translation>¿Cuánto desea agregar?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/deposit_amount.py" line="83" />
            <source>From {low} to {high}. You will see the fee and the total before you pay.</source>
            <translation>De {low} a {high}. Verá el cargo y el total antes de pagar.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/deposit_amount.py" line="87" />
            <source>You will see the fee and the total before you pay.</source>
            <translation>Verá el cargo y el total antes de pagar.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/deposit_amount.py" line="94" />
            <source>Add {amount}</source>
            <translation>Agregar {amount}</translation>
        </message>
    </context>
    <context>
        <name>DepositConfirmScreen</name>
        <message>
            <location filename="../../ui/screens/deposit_confirm.py" line="70" />
            <source>Please check before you pay</source>
            <translation>Revise antes de pagar</translation>
        </message>
        <message>
            <location filename="../../ui/screens/deposit_confirm.py" line="72" />
            <source>Added to AdvanceConnect</source>
            <translation>Se agrega a AdvanceConnect</translation>
        </message>
        <message>
            <location filename="../../ui/screens/deposit_confirm.py" line="73" />
            <source>Fee</source>
            <translation>Cargo</translation>
        </message>
        <message>
            <location filename="../../ui/screens/deposit_confirm.py" line="74" />
            <source>Total charged today</source>
            <translation>Total que se cobra hoy</translation>
        </message>
        <message>
            <location filename="../../ui/screens/deposit_confirm.py" line="75" />
            <source>Paid with</source>
            <translation>Se paga con</translation>
        </message>
        <message>
            <location filename="../../ui/screens/deposit_confirm.py" line="82" />
            <source>No card on file yet</source>
            <translation>Todavía no hay una tarjeta guardada</translation>
        </message>
        <message>
            <location filename="../../ui/screens/deposit_confirm.py" line="86" />
            <source>Add a card to pay</source>
            <translation>Agregar una tarjeta para pagar</translation>
        </message>
        <message>
            <location filename="../../ui/screens/deposit_confirm.py" line="88" />
            <source>Pay {total}</source>
            <translation>Pagar {total}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/deposit_confirm.py" line="90" />
            <location filename="../../ui/screens/deposit_confirm.py" line="91" />
            <source>Use a different card</source>
            <translation>Usar otra tarjeta</translation>
        </message>
        <message>
            <source>Pay {total} on the card reader</source>
            <translation>Pagar {total} en el lector de tarjetas</translation>
        </message>
        <message>
            <source>Pay on the card reader instead</source>
            <translation>Pagar en el lector de tarjetas</translation>
        </message>
        <message>
            <source>Type a card number (staff)</source>
            <translation>Escribir un número de tarjeta (personal)</translation>
        </message>
        <message>
            <source>The card reader</source>
            <translation>El lector de tarjetas</translation>
        </message>
    </context>
    <context>
        <name>DepositReceiptScreen</name>
        <message>
            <location filename="../../ui/screens/deposit_receipt.py" line="41" />
            <location filename="../../ui/screens/deposit_receipt.py" line="58" />
            <source>Money added</source>
            <translation>Dinero agregado</translation>
        </message>
        <message>
            <location filename="../../ui/screens/deposit_receipt.py" line="43" />
            <source>{total} was charged to {card}. Your balance is now {balance}.
We also sent this receipt to your e-mail.</source>
            <translation>Se cobraron {total} a su {card}. Su saldo ahora es {balance}.
También le enviamos este recibo por correo electrónico.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/deposit_receipt.py" line="48" />
            <source>Added to AdvanceConnect</source>
            <translation>Agregado a AdvanceConnect</translation>
        </message>
        <message>
            <location filename="../../ui/screens/deposit_receipt.py" line="49" />
            <source>Fee</source>
            <translation>Cargo</translation>
        </message>
        <message>
            <location filename="../../ui/screens/deposit_receipt.py" line="50" />
            <source>Total charged</source>
            <translation>Total cobrado</translation>
        </message>
        <message>
            <location filename="../../ui/screens/deposit_receipt.py" line="51" />
            <source>Balance now</source>
            <translation>Saldo ahora</translation>
        </message>
        <message>
            <location filename="../../ui/screens/deposit_receipt.py" line="57" />
            <source>Reference: {ref}</source>
            <translation>Referencia: {ref}</translation>
        </message>
    </context>
    <context>
        <name>RegisterHandoverScreen</name>
        <message>
            <location filename="../../ui/screens/register_handover.py" line="47" />
            <source>Please hand the screen to the family</source>
            <translation>Por favor, pase la pantalla a la familia</translation>
        </message>
        <message>
            <location filename="../../ui/screens/register_handover.py" line="48" />
            <source>The next step is the PIN. The family member chooses it and types it; staff do not watch or type it. Staff: step aside until the PIN is done.</source>
            <translation>El siguiente paso es el PIN. El familiar lo elige y lo escribe; el personal no lo mira ni lo escribe. Personal: apártese hasta que el PIN esté listo.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/register_handover.py" line="52" />
            <source>Choose my PIN</source>
            <translation>Elegir mi PIN</translation>
        </message>
        <message>
            <location filename="../../ui/screens/register_handover.py" line="53" />
            <source>I am the family member: choose my PIN</source>
            <translation>Soy el familiar: elegir mi PIN</translation>
        </message>
    </context>
    <context>
        <name>DoneScreen</name>
        <message>
            <location filename="../../ui/screens/done.py" line="61" />
            <source>Saved</source>
            <translation>Guardado</translation>
        </message>
        <message>
            <location filename="../../ui/screens/done.py" line="64" />
            <source>This kiosk is offline, so your sign-up will be checked when it reconnects. If there is a problem (for example, this phone number already has an account), we will e-mail you. You can sign in once it is set up.</source>
            <translation>Este quiosco no tiene conexión, así que su registro se revisará cuando se vuelva a conectar. Si hay algún problema (por ejemplo, si este número de teléfono ya tiene una cuenta), le enviaremos un correo electrónico. Podrá iniciar sesión cuando esté lista.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/done.py" line="69" />
            <source>Your account is ready</source>
            <translation>Su cuenta está lista</translation>
        </message>
        <message>
            <location filename="../../ui/screens/done.py" line="71" />
            <source>Use your phone number and PIN to sign in next time. Thank you!</source>
            <translation>La próxima vez, inicie sesión con su número de teléfono y su PIN. ¡Gracias!</translation>
        </message>
        <message>
            <location filename="../../ui/screens/done.py" line="74" />
            <source>Finish</source>
            <translation>Terminar</translation>
        </message>
        <message>
            <location filename="../../ui/screens/done.py" line="75" />
            <source>Finish and return to the start</source>
            <translation>Terminar y volver al inicio</translation>
        </message>
    </context>
    <context>
        <name>FacilityScreen</name>
        <message>
            <location filename="../../ui/screens/facility.py" line="119" />
            <source>{name}  ·  {state}</source>
            <translation>{name}  ·  {state}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/facility.py" line="120" />
            <source>{name}, in {state}</source>
            <translation>{name}, en {state}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/facility.py" line="128" />
            <source>Loading the list of facilities…</source>
            <translation>Cargando la lista de centros…</translation>
        </message>
        <message>
            <location filename="../../ui/screens/facility.py" line="130" />
            <source>No facilities are available on this kiosk. Please ask staff for help.</source>
            <translation>No hay centros disponibles en este quiosco. Pida ayuda al personal.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/facility.py" line="137" />
            <source>Where is your loved one?</source>
            <translation>¿Dónde está su ser querido?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/facility.py" line="138" />
            <source>Choose the facility.</source>
            <translation>Elija el centro.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/facility.py" line="139" />
            <source>Try again</source>
            <translation>Intentar de nuevo</translation>
        </message>
        <message>
            <location filename="../../ui/screens/facility.py" line="140" />
            <source>Try loading the facilities again</source>
            <translation>Volver a cargar los centros</translation>
        </message>
    </context>
    <context>
        <name>ForgotPinScreen</name>
        <message>
            <location filename="../../ui/screens/forgot_pin.py" line="37" />
            <source>Forgot your PIN?</source>
            <translation>¿Olvidó su PIN?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/forgot_pin.py" line="40" />
            <source>For your safety, nobody can see your PIN, and it can't be changed at this kiosk.

Please go to the front desk with a photo ID: staff can check who you are and help you get back into your account.

After 5 wrong PINs, signing in is paused for 15 minutes.</source>
            <translation>Por su seguridad, nadie puede ver su PIN y no se puede cambiar en este quiosco.

Vaya a la recepción con una identificación con foto: el personal puede comprobar quién es usted y ayudarle a volver a entrar en su cuenta.

Después de 5 PIN incorrectos, el inicio de sesión se pausa durante 15 minutos.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/forgot_pin.py" line="47" />
            <location filename="../../ui/screens/forgot_pin.py" line="48" />
            <source>Back to sign in</source>
            <translation>Volver a iniciar sesión</translation>
        </message>
    </context>
    <context>
        <name>FormScreen</name>
        <message>
            <location filename="../../ui/screens/form.py" line="208" />
            <source>Next ›</source>
            <translation>Siguiente ›</translation>
        </message>
        <message>
            <location filename="../../ui/screens/form.py" line="209" />
            <source>Next step</source>
            <translation>Paso siguiente</translation>
        </message>
        <message>
            <location filename="../../ui/screens/form.py" line="1" />
            <source>%1 of %2</source>
            <translation>%1 de %2</translation>
        </message>
        <message>
            <location filename="../../ui/screens/form.py" line="1" />
            <source>Part %1 of %2</source>
            <translation>Parte %1 de %2</translation>
        </message>
    </context>
    <context>
        <name>HeaderBar</name>
        <message>
            <location filename="../../ui/widgets/header.py" line="1" />
            <source>Read aloud</source>
            <translation>Leer en voz alta</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/header.py" line="1" />
            <source>Speech is not available on this kiosk</source>
            <translation>La voz no está disponible en este quiosco</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/header.py" line="95" />
            <source>Step {step} of {total}</source>
            <translation>Paso {step} de {total}</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/header.py" line="100" />
            <source>‹ Back</source>
            <translation>‹ Atrás</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/header.py" line="101" />
            <source>Back to the previous screen</source>
            <translation>Volver a la pantalla anterior</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/header.py" line="102" />
            <location filename="../../ui/widgets/header.py" line="103" />
            <source>Large text</source>
            <translation>Texto grande</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/header.py" line="104" />
            <location filename="../../ui/widgets/header.py" line="105" />
            <source>High contrast</source>
            <translation>Alto contraste</translation>
        </message>
    </context>
    <context>
        <name>HomeScreen</name>
        <message>
            <location filename="../../ui/screens/home.py" line="77" />
            <source>Welcome</source>
            <translation>Le damos la bienvenida</translation>
        </message>
        <message>
            <location filename="../../ui/screens/home.py" line="78" />
            <source>What would you like to do?</source>
            <translation>¿Qué desea hacer?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/home.py" line="79" />
            <location filename="../../ui/screens/home.py" line="80" />
            <source>Create an account</source>
            <translation>Crear una cuenta</translation>
        </message>
        <message>
            <location filename="../../ui/screens/home.py" line="81" />
            <source>Sign in</source>
            <translation>Iniciar sesión</translation>
        </message>
        <message>
            <location filename="../../ui/screens/home.py" line="82" />
            <source>Sign in with your phone and PIN</source>
            <translation>Iniciar sesión con su teléfono y PIN</translation>
        </message>
        <message>
            <location filename="../../ui/screens/home.py" line="83" />
            <source>Choose your language</source>
            <translation>Elija su idioma</translation>
        </message>
    </context>
    <context>
        <name>LovedOnePinScreen</name>
        <message>
            <location filename="../../ui/screens/loved_one_pin.py" line="56" />
            <source>Confirm with your PIN</source>
            <translation>Confirme con su PIN</translation>
        </message>
        <message>
            <location filename="../../ui/screens/loved_one_pin.py" line="58" />
            <source>Enter your PIN. We'll add {name} when the kiosk is back online, or e-mail you if we can't.</source>
            <translation>Escriba su PIN. Agregaremos a {name} cuando el quiosco vuelva a tener conexión, o le escribiremos por correo electrónico si no se puede.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/loved_one_pin.py" line="64" />
            <source>Add when the kiosk reconnects</source>
            <translation>Agregar al volver la conexión</translation>
        </message>
    </context>
    <context>
        <name>LovedOneConfirmScreen</name>
        <message>
            <location filename="../../ui/screens/loved_one_confirm.py" line="41" />
            <source>Add this loved one?</source>
            <translation>¿Agregar a este ser querido?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/loved_one_confirm.py" line="43" />
            <source>Name</source>
            <translation>Nombre</translation>
        </message>
        <message>
            <location filename="../../ui/screens/loved_one_confirm.py" line="44" />
            <source>ID number</source>
            <translation>Número de identificación</translation>
        </message>
        <message>
            <location filename="../../ui/screens/loved_one_confirm.py" line="45" />
            <source>Facility</source>
            <translation>Centro</translation>
        </message>
        <message>
            <location filename="../../ui/screens/loved_one_confirm.py" line="55" />
            <source>They will be on your account next to your other loved ones. Your money and subscriptions stay as they are.</source>
            <translation>Aparecerá en su cuenta junto a sus otros seres queridos. Su dinero y sus suscripciones quedan igual.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/loved_one_confirm.py" line="57" />
            <source>Yes, add them</source>
            <translation>Sí, agregarlo</translation>
        </message>
        <message>
            <location filename="../../ui/screens/loved_one_confirm.py" line="57" />
            <source>No, search again</source>
            <translation>No, buscar de nuevo</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../ui/main_window.py" line="162" />
            <source>Lobby Kiosk</source>
            <translation>Quiosco del vestíbulo</translation>
        </message>
    </context>
    <context>
        <name>ManageConfirmScreen</name>
        <message>
            <source>You pay {price} on the card reader today. The next month starts on {date}.</source>
            <translation>Hoy paga {price} en el lector de tarjetas. El próximo mes empieza el {date}.</translation>
        </message>
        <message>
            <source>Pay {price} on the card reader</source>
            <translation>Pagar {price} en el lector de tarjetas</translation>
        </message>
        <message>
            <source>Pay on the card reader instead</source>
            <translation>Pagar en el lector de tarjetas</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_confirm.py" line="48" />
            <source>your card</source>
            <translation>su tarjeta</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_confirm.py" line="51" />
            <source>Cancel {plan}?</source>
            <translation>¿Cancelar {plan}?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_confirm.py" line="52" />
            <source>It stays active until {date}, then it ends. No refund.</source>
            <translation>Sigue activa hasta el {date} y después termina. Sin reembolso.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_confirm.py" line="53" />
            <source>Yes, cancel it</source>
            <translation>Sí, cancelarla</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_confirm.py" line="57" />
            <source>Keep {plan}?</source>
            <translation>¿Conservar {plan}?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_confirm.py" line="58" />
            <source>It will not end on {date}; it renews as before.</source>
            <translation>No terminará el {date}; se renueva como antes.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_confirm.py" line="59" />
            <source>Yes, keep it</source>
            <translation>Sí, conservarla</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_confirm.py" line="63" />
            <source>Renew {plan} by hand?</source>
            <translation>¿Renovar {plan} usted mismo?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_confirm.py" line="65" />
            <source>Nothing changes until {date}. After that it ends unless you renew it here.</source>
            <translation>Nada cambia hasta el {date}. Después termina a menos que la renueve aquí.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_confirm.py" line="67" />
            <location filename="../../ui/screens/manage_confirm.py" line="74" />
            <source>Yes, switch</source>
            <translation>Sí, cambiar</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_confirm.py" line="71" />
            <source>Renew {plan} automatically?</source>
            <translation>¿Renovar {plan} automáticamente?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_confirm.py" line="72" />
            <source>From {date}, {price} is charged to {card} each month until you cancel.</source>
            <translation>A partir del {date}, se cobran {price} a {card} cada mes hasta que cancele.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_confirm.py" line="77" />
            <source>Renew {plan} now?</source>
            <translation>¿Renovar {plan} ahora?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_confirm.py" line="78" />
            <source>{price} is charged to {card} today. The next month starts on {date}.</source>
            <translation>Hoy se cobran {price} a {card}. El próximo mes empieza el {date}.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_confirm.py" line="80" />
            <source>Pay {price}</source>
            <translation>Pagar {price}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_confirm.py" line="85" />
            <source>Change your subscription</source>
            <translation>Cambiar su suscripción</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_confirm.py" line="85" />
            <source>Yes</source>
            <translation>Sí</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_confirm.py" line="89" />
            <source>No, go back</source>
            <translation>No, volver</translation>
        </message>
    </context>
    <context>
        <name>ManageListScreen</name>
        <message>
            <location filename="../../ui/screens/manage_list.py" line="88" />
            <source>Your subscriptions</source>
            <translation>Sus suscripciones</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_list.py" line="98" />
            <source>You have no subscription. You can buy one from your account.</source>
            <translation>No tiene ninguna suscripción. Puede comprar una desde su cuenta.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_list.py" line="103" />
            <source>Card for payments: {card}</source>
            <translation>Tarjeta para pagos: {card}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_list.py" line="104" />
            <source>No card on file yet</source>
            <translation>Todavía no hay una tarjeta guardada</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_list.py" line="107" />
            <source>Use a new card</source>
            <translation>Usar una tarjeta nueva</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_list.py" line="108" />
            <source>Use a new card for payments</source>
            <translation>Usar una tarjeta nueva para los pagos</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_list.py" line="109" />
            <source>Payments and refunds</source>
            <translation>Pagos y reembolsos</translation>
        </message>
        <message>
            <location filename="../../ui/screens/manage_list.py" line="111" />
            <source>Recent payments, and a refund of your balance</source>
            <translation>Pagos recientes y reembolso de su saldo</translation>
        </message>
        <message>
            <source>Type a new card number (staff)</source>
            <translation>Escribir un número de tarjeta nuevo (personal)</translation>
        </message>
    </context>
    <context>
        <name>Messages</name>
        <message>
            <source>A payment for the next month is already being made. Please wait a minute, then look at your subscription again.</source>
            <translation>Ya se está haciendo un pago del próximo mes. Espere un minuto y vuelva a mirar su suscripción.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="15" />
            <source>First name</source>
            <translation>Nombre</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="16" />
            <source>Last name</source>
            <translation>Apellido</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="17" />
            <source>Mobile phone number</source>
            <translation>Número de celular</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="18" />
            <source>Email address</source>
            <translation>Correo electrónico</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="19" />
            <source>Street address</source>
            <translation>Dirección (calle y número)</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="20" />
            <source>Apartment or unit (optional)</source>
            <translation>Apartamento o unidad (opcional)</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="21" />
            <source>City</source>
            <translation>Ciudad</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="22" />
            <source>State</source>
            <translation>Estado</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="23" />
            <source>ZIP code</source>
            <translation>Código postal</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="24" />
            <source>New PIN (4 to 8 numbers)</source>
            <translation>PIN nuevo (4 a 8 números)</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="25" />
            <source>Enter the same PIN again</source>
            <translation>Repita el PIN</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="26" />
            <source>Your PIN</source>
            <translation>Su PIN</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="27" />
            <source>Other amount, in dollars</source>
            <translation>Otra cantidad, en dólares</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="28" />
            <source>Card number</source>
            <translation>Número de tarjeta</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="29" />
            <source>Expires (MM/YY)</source>
            <translation>Vence (MM/AA)</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="30" />
            <source>Code (CVC)</source>
            <translation>Código (CVC)</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="31" />
            <source>Billing ZIP code</source>
            <translation>Código postal de facturación</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="32" />
            <source>In-state phone calls in a month</source>
            <translation>Llamadas dentro del estado en un mes</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="35" />
            <source>Minutes in a usual call</source>
            <translation>Minutos de una llamada normal</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="36" />
            <source>Video visits in a month</source>
            <translation>Visitas por video en un mes</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="39" />
            <source>Facility</source>
            <translation>Centro</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="40" />
            <source>Your loved one</source>
            <translation>Su ser querido</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="47" />
            <source>Please enter your first name.</source>
            <translation>Escriba su nombre.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="48" />
            <source>Please enter your last name.</source>
            <translation>Escriba su apellido.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="49" />
            <source>Please enter your mobile phone number.</source>
            <translation>Escriba su número de celular.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="50" />
            <source>Please enter your email address.</source>
            <translation>Escriba su correo electrónico.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="51" />
            <source>Please enter your street address.</source>
            <translation>Escriba su dirección.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="52" />
            <source>Please enter your city.</source>
            <translation>Escriba su ciudad.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="53" />
            <source>Please enter your state.</source>
            <translation>Escriba su estado.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="54" />
            <source>Please enter your ZIP code.</source>
            <translation>Escriba su código postal.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="55" />
            <source>Please choose a PIN.</source>
            <translation>Elija un PIN.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="56" />
            <source>Please enter your PIN again.</source>
            <translation>Escriba su PIN otra vez.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="57" />
            <source>Please enter your PIN.</source>
            <translation>Escriba su PIN.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="58" />
            <source>Please enter an amount.</source>
            <translation>Escriba una cantidad.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="59" />
            <source>Please enter the card number.</source>
            <translation>Escriba el número de la tarjeta.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="60" />
            <source>Please enter the month and year the card expires.</source>
            <translation>Escriba el mes y el año en que vence la tarjeta.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="63" />
            <source>Please enter the 3 or 4 numbers on the back of the card.</source>
            <translation>Escriba los 3 o 4 números del reverso de la tarjeta.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="66" />
            <source>Please enter the card's billing ZIP code.</source>
            <translation>Escriba el código postal de facturación de la tarjeta.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="70" />
            <source>Please fill this in.</source>
            <translation>Complete este campo.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="77" />
            <source>This is too long. Please use {count} letters or fewer.</source>
            <translation>Es demasiado largo. Use {count} letras o menos.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="81" />
            <source>Please use letters only. Spaces, hyphens (-) and apostrophes (') are fine.</source>
            <translation>Use solo letras. Se permiten espacios, guiones (-) y apóstrofos (').</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="86" />
            <source>That phone number doesn't look right. Enter all 10 digits, with the area code.</source>
            <translation>Ese número de teléfono no parece correcto. Escriba los 10 dígitos, con el código de área.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="91" />
            <source>That email address doesn't look right. It should look like name@example.com.</source>
            <translation>Ese correo electrónico no parece correcto. Debe tener la forma nombre@ejemplo.com.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="96" />
            <source>Please enter a 5-digit ZIP code, like 78701.</source>
            <translation>Escriba un código postal de 5 dígitos, como 78701.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="100" />
            <source>Please enter the 2-letter state code, like TX or CA.</source>
            <translation>Escriba la abreviatura del estado con 2 letras, como TX o CA.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="104" />
            <source>Please enter dollars and cents, like 25 or 12.50.</source>
            <translation>Escriba dólares y centavos, por ejemplo 25 o 12.50.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="108" />
            <source>Please enter a whole number.</source>
            <translation>Escriba un número entero.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="110" />
            <source>That card number doesn't look right. Please check each number.</source>
            <translation>Ese número de tarjeta no parece correcto. Revise cada número.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="114" />
            <source>Please enter the expiry date as month and year, like 08/29.</source>
            <translation>Escriba la fecha de vencimiento como mes y año, por ejemplo 08/29.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="118" />
            <source>This card has expired. Please use another card.</source>
            <translation>Esta tarjeta está vencida. Use otra tarjeta.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="122" />
            <source>The security code is the 3 or 4 numbers on the back of the card.</source>
            <translation>El código de seguridad son los 3 o 4 números del reverso de la tarjeta.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="126" />
            <source>Your PIN can only have numbers.</source>
            <translation>Su PIN solo puede tener números.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="128" />
            <source>Your PIN must be {low} to {high} numbers long.</source>
            <translation>Su PIN debe tener de {low} a {high} números.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="132" />
            <source>That PIN is too easy to guess. Don't use one number repeated or numbers in a row, like 1111 or 1234.</source>
            <translation>Ese PIN es fácil de adivinar. No repita un número ni use números seguidos, como 1111 o 1234.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="137" />
            <source>The two PINs don't match. Please enter the same PIN again.</source>
            <translation>Los dos PIN no coinciden. Escriba el mismo PIN otra vez.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="144" />
            <source>This phone number already has an account. Sign in instead, or ask staff for help.</source>
            <translation>Este número ya tiene una cuenta. Inicie sesión o pida ayuda al personal.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="149" />
            <source>The phone number or PIN is not right.</source>
            <translation>El número de teléfono o el PIN no es correcto.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="153" />
            <source>Too many wrong PINs: signing in is paused for a while.</source>
            <translation>Demasiados PIN incorrectos: el inicio de sesión está en pausa por un tiempo.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="157" />
            <source>You were signed out. Please sign in again.</source>
            <translation>Se cerró su sesión. Vuelva a iniciar sesión.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="161" />
            <source>Your bank declined this card, so nothing was charged. Please try another card, or call the number on the back of your card.</source>
            <translation>Su banco rechazó esta tarjeta, así que no se cobró nada. Pruebe con otra tarjeta o llame al número del reverso de su tarjeta.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="167" />
            <source>There is not enough money on this card, so nothing was charged. Try a smaller amount or another card.</source>
            <translation>No hay suficiente dinero en esta tarjeta, así que no se cobró nada. Pruebe con una cantidad menor o con otra tarjeta.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="193" />
            <source>The card service is not answering right now. Please try again in a minute: you will not be charged twice.</source>
            <translation>El servicio de tarjetas no responde en este momento. Vuelva a intentarlo en un minuto: no se le cobrará dos veces.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="173" />
            <source>There is no card on your account yet. Please add a card to pay.</source>
            <translation>Su cuenta todavía no tiene una tarjeta. Agregue una tarjeta para pagar.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="175" />
            <source>The card reader is not ready. Please ask staff for help.</source>
            <translation>El lector de tarjetas no está listo. Pida ayuda al personal.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="245" />
            <source>Please use the card reader: card numbers can't be typed here.</source>
            <translation>Use el lector de tarjetas: aquí no se puede escribir el número de una tarjeta.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="200" />
            <source>The price changed since you saw it, so nothing was charged. Choose again to see the new price.</source>
            <translation>El precio cambió desde que lo vio, así que no se cobró nada. Elija de nuevo para ver el nuevo precio.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="177" />
            <source>The total changed since you saw it, so nothing was charged. Please go back and check the new total.</source>
            <translation>El total cambió desde que lo vio, así que no se cobró nada. Regrese y revise el nuevo total.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="183" />
            <source>This amount can't be added. Please choose another amount.</source>
            <translation>No se puede agregar esta cantidad. Elija otra cantidad.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="187" />
            <source>This kind of card can't be used here. Please use another card.</source>
            <translation>Aquí no se puede usar este tipo de tarjeta. Use otra tarjeta.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="191" />
            <source>You already have this kind of subscription for this phone. See it under My subscriptions.</source>
            <translation>Ya tiene este tipo de suscripción para este teléfono. Véala en Mis suscripciones.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="197" />
            <source>This subscription has already ended, so it can't be changed.</source>
            <translation>Esta suscripción ya terminó, así que no se puede cambiar.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="201" />
            <source>The next month is already paid. Nothing was charged.</source>
            <translation>El próximo mes ya está pagado. No se cobró nada.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="205" />
            <source>These numbers can't be priced. Please check them.</source>
            <translation>Estos números no se pueden calcular. Revíselos.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="209" />
            <source>This plan is not offered for your loved one. Please choose another.</source>
            <translation>Este plan no se ofrece para su ser querido. Elija otro.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="246" />
            <source>This plan can't be bought right now because it has no price yet, so nothing was charged. Please choose another plan, or ask staff for help.</source>
            <translation>Este plan no se puede comprar ahora porque todavía no tiene precio, así que no se cobró nada. Elija otro plan o pida ayuda al personal.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="240" />
            <source>This amount is too small to pay by card, so nothing was charged. Please choose a larger amount.</source>
            <translation>Esta cantidad es demasiado pequeña para pagar con tarjeta, así que no se cobró nada. Elija una cantidad mayor.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="243" />
            <source>The card processor refused this payment, so nothing was charged. Please try another card, or ask staff for help.</source>
            <translation>El procesador de tarjetas rechazó este pago, así que no se cobró nada. Pruebe con otra tarjeta o pida ayuda al personal.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="325" />
            <source>Cash can't be given back at a kiosk. Your balance can be refunded on request: please ask staff.</source>
            <translation>El efectivo no se puede devolver en un quiosco. Su saldo se puede reembolsar si lo pide: consulte al personal.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="328" />
            <source>This account can't take cash at this kiosk. Please ask staff for help.</source>
            <translation>Esta cuenta no puede recibir efectivo en este quiosco. Pida ayuda al personal.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="252" />
            <source>Your card was charged, and we are still finishing this. Please don't pay again: check your account in a few minutes, or ask staff for help.</source>
            <translation>Se cobró su tarjeta y todavía lo estamos terminando. No vuelva a pagar: revise su cuenta en unos minutos o pida ayuda al personal.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="258" />
            <source>Your card was charged, but we could not finish this. Please don't pay again: staff will finish it or give the money back. Ask staff for help.</source>
            <translation>Se cobró su tarjeta, pero no pudimos terminar esto. No vuelva a pagar: el personal lo terminará o le devolverá el dinero. Pida ayuda al personal.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="213" />
            <source>Please read and accept the terms before paying.</source>
            <translation>Lea y acepte las condiciones antes de pagar.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="217" />
            <source>The kiosk can't reach the network right now. Please try again in a moment, or ask staff for help.</source>
            <translation>El quiosco no puede conectarse a la red en este momento. Intente de nuevo en un momento o pida ayuda al personal.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="223" />
            <source>The answer took too long to arrive. Please try again.</source>
            <translation>La respuesta tardó demasiado. Intente de nuevo.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="227" />
            <source>Something went wrong on our side. Please try again, or ask staff for help.</source>
            <translation>Algo salió mal de nuestro lado. Intente de nuevo o pida ayuda al personal.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="231" />
            <source>We couldn't find that facility. Please choose it again.</source>
            <translation>No encontramos ese centro. Elíjalo otra vez.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="235" />
            <source>We couldn't find that person. Please search again.</source>
            <translation>No encontramos a esa persona. Busque otra vez.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="239" />
            <source>This person is already one of your loved ones. Please search again.</source>
            <translation>Esta persona ya es uno de sus seres queridos. Busque de nuevo, por favor.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="243" />
            <source>Your account has as many loved ones as it can hold. Please ask staff for help.</source>
            <translation>Su cuenta ya tiene todos los seres queridos que admite. Pida ayuda al personal, por favor.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="248" />
            <source>Your balance is $0.00, so there is nothing to refund.</source>
            <translation>Su saldo es $0.00, así que no hay nada que reembolsar.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="252" />
            <source>There is no full month of your calls yet, so we can't price your history. Please enter your own estimate instead.</source>
            <translation>Todavía no hay un mes completo de sus llamadas, así que no podemos calcular con su historial. Escriba su propio cálculo, por favor.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="259" />
            <source>Please check this entry: {field}.</source>
            <translation>Revise este dato: {field}.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="262" />
            <source>Please check what you entered.</source>
            <translation>Revise lo que escribió.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="264" />
            <source>This kiosk is not set up yet. Please ask staff for help.</source>
            <translation>Este quiosco todavía no está configurado. Pida ayuda al personal.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="248" />
            <source>This kiosk can't connect: it has no safe place to keep its key. Please ask staff for help.</source>
            <translation>Este quiosco no puede conectarse: no tiene un lugar seguro para guardar su clave. Pida ayuda al personal.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="243" />
            <source>Card payments are unavailable on this kiosk. Please ask staff where to pay.</source>
            <translation>Los pagos con tarjeta no están disponibles en este quiosco. Pregunte al personal dónde pagar.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="278" />
            <source>Something went wrong. Please ask staff for help.</source>
            <translation>Algo salió mal. Pida ayuda al personal.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="41" />
            <source>Badge number</source>
            <translation>Número de credencial</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="42" />
            <source>Staff PIN</source>
            <translation>PIN de personal</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="43" />
            <source>Reason</source>
            <translation>Motivo</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="72" />
            <source>Please enter your badge number.</source>
            <translation>Ingrese su número de credencial.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="73" />
            <source>Please enter your staff PIN.</source>
            <translation>Ingrese su PIN de personal.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="74" />
            <source>Please type a reason.</source>
            <translation>Escriba un motivo.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="155" />
            <source>The badge number or PIN is not right.</source>
            <translation>El número de credencial o el PIN no es correcto.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="157" />
            <source>Too many wrong PINs: this badge is locked for a while.</source>
            <translation>Demasiados PIN incorrectos: esta credencial está bloqueada por un tiempo.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="160" />
            <source>The server cannot be reached, and this badge has not signed in here in the last 15 minutes. Staff sign-in needs the server.</source>
            <translation>No se puede conectar con el servidor y esta credencial no ha iniciado sesión aquí en los últimos 15 minutos. El acceso del personal necesita el servidor.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="164" />
            <source>Only a failed entry or a conflict can be discarded.</source>
            <translation>Solo se puede descartar un envío fallido o un conflicto.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="164" />
            <source>Staff mode has ended. Please sign in to staff mode again.</source>
            <translation>El modo de personal terminó. Vuelva a iniciar sesión en el modo de personal.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="168" />
            <source>The server is busy right now. Please try again in a moment.</source>
            <translation>El sistema está ocupado en este momento. Vuelva a intentarlo en un momento.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="189" />
            <source>There is no account with this phone number. Please check the number, or create an account.</source>
            <translation>No hay ninguna cuenta con este número de teléfono. Revise el número o cree una cuenta.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="193" />
            <source>Too many wrong PINs were typed at this kiosk: signing in is paused here for a few minutes. Please ask staff for help.</source>
            <translation>Se escribieron demasiados PIN incorrectos en este quiosco: el inicio de sesión está en pausa aquí por unos minutos. Pida ayuda al personal.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="220" />
            <source>Your bank wants you to approve this payment in its app, which this kiosk can't do, so nothing was charged. Please use another card.</source>
            <translation>Su banco pide que apruebe este pago en su aplicación, y este quiosco no puede hacerlo, así que no se cobró nada. Use otra tarjeta.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="174" />
            <source>This card can't be used. Please enter the card again.</source>
            <translation>Esta tarjeta no se puede usar. Escriba los datos de la tarjeta otra vez.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="239" />
            <source>Please add a loved one to your account first.</source>
            <translation>Primero agregue a un ser querido a su cuenta.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="248" />
            <source>We couldn't find this subscription. Please go back and choose it again.</source>
            <translation>No encontramos esta suscripción. Vuelva atrás y elíjala otra vez.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="252" />
            <source>This subscription renews by itself, so there is nothing to pay now.</source>
            <translation>Esta suscripción se renueva sola, así que no hay nada que pagar ahora.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="254" />
            <source>This subscription is set to end. Resume it first, then renew it.</source>
            <translation>Esta suscripción está marcada para terminar. Primero reanúdela y luego renuévela.</translation>
        </message>
        <message>
            <location filename="../../ui/messages.py" line="180" />
            <source>This kiosk can't do that. Please ask staff for help.</source>
            <translation>Este quiosco no puede hacer eso. Pida ayuda al personal.</translation>
        </message>
        <message>
            <source>The card reader is finishing the last payment. Please try again in a moment.</source>
            <translation>El lector de tarjetas está terminando el pago anterior. Inténtelo de nuevo en un momento.</translation>
        </message>
        <message>
            <source>Automatic renewal charges the card you pay with now. Please agree to keep the card, or go back and choose to renew it yourself.</source>
            <translation>La renovación automática se cobra a la tarjeta con la que paga ahora. Acepte guardar la tarjeta, o regrese y elija renovarla usted.</translation>
        </message>
    </context>
    <context>
        <name>NumericKeypad</name>
        <message>
            <location filename="../../ui/widgets/keypad.py" line="57" />
            <source>⌫ Delete</source>
            <translation>⌫ Borrar</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keypad.py" line="58" />
            <source>Delete last number</source>
            <translation>Borrar el último número</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keypad.py" line="59" />
            <source>Clear</source>
            <translation>Limpiar</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keypad.py" line="60" />
            <source>Clear the whole entry</source>
            <translation>Borrar todo lo escrito</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keypad.py" line="100" />
            <source>Decimal point</source>
            <translation>Punto decimal</translation>
        </message>
    </context>
    <context>
        <name>OnScreenKeyboard</name>
        <message>
            <location filename="../../ui/widgets/keyboard.py" line="1" />
            <source>Apostrophe</source>
            <translation>Apóstrofo</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keyboard.py" line="1" />
            <source>Hyphen</source>
            <translation>Guion</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keyboard.py" line="1" />
            <source>Period</source>
            <translation>Punto</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keyboard.py" line="1" />
            <source>At sign</source>
            <translation>Arroba</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keyboard.py" line="1" />
            <source>Number sign</source>
            <translation>Signo de número</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keyboard.py" line="1" />
            <source>Underscore</source>
            <translation>Guion bajo</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keyboard.py" line="1" />
            <source>123 #</source>
            <translation>123 #</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keyboard.py" line="1" />
            <source>Numbers and symbols</source>
            <translation>Números y símbolos</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keyboard.py" line="1" />
            <source>abc</source>
            <translation>abc</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keyboard.py" line="1" />
            <source>Letters</source>
            <translation>Letras</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keyboard.py" line="116" />
            <source>Shift</source>
            <translation>Mayús</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keyboard.py" line="116" />
            <source>Capital letter</source>
            <translation>Letra mayúscula</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keyboard.py" line="117" />
            <source>á é ñ</source>
            <translation>á é ñ</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keyboard.py" line="117" />
            <source>Accented letter</source>
            <translation>Letra con acento</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keyboard.py" line="118" />
            <source>Space</source>
            <translation>Espacio</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keyboard.py" line="119" />
            <source>⌫ Delete</source>
            <translation>⌫ Borrar</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/keyboard.py" line="119" />
            <source>Delete last character</source>
            <translation>Borrar la última letra</translation>
        </message>
    </context>
    <context>
        <name>ReceiptScreen</name>
        <message>
            <location filename="../../ui/screens/receipt.py" line="62" />
            <source>Back to my account</source>
            <translation>Volver a mi cuenta</translation>
        </message>
    </context>
    <context>
        <name>RefundConfirmScreen</name>
        <message>
            <location filename="../../ui/screens/refund_confirm.py" line="44" />
            <source>Ask for your balance back?</source>
            <translation>¿Pedir que le devuelvan su saldo?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/refund_confirm.py" line="47" />
            <source>Paid back to you</source>
            <translation>Se le devuelve</translation>
        </message>
        <message>
            <location filename="../../ui/screens/refund_confirm.py" line="47" />
            <source>Balance after</source>
            <translation>Saldo después</translation>
        </message>
        <message>
            <location filename="../../ui/screens/refund_confirm.py" line="52" />
            <source>Your whole AdvanceConnect balance leaves your account now and is paid back to you. Money held for a call going on right now stays until the call ends. To call from AdvanceConnect again, add money.</source>
            <translation>Todo su saldo de AdvanceConnect sale de su cuenta ahora y se le devuelve. El dinero apartado para una llamada en curso se queda hasta que termine la llamada. Para volver a llamar con AdvanceConnect, agregue dinero.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/refund_confirm.py" line="50" />
            <source>Yes, ask for {amount}</source>
            <translation>Sí, pedir {amount}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/refund_confirm.py" line="50" />
            <source>Yes</source>
            <translation>Sí</translation>
        </message>
        <message>
            <location filename="../../ui/screens/refund_confirm.py" line="55" />
            <source>No, go back</source>
            <translation>No, volver</translation>
        </message>
    </context>
    <context>
        <name>RefundReceiptScreen</name>
        <message>
            <location filename="../../ui/screens/refund_receipt.py" line="40" />
            <location filename="../../ui/screens/refund_receipt.py" line="47" />
            <source>Refund asked for</source>
            <translation>Reembolso pedido</translation>
        </message>
        <message>
            <location filename="../../ui/screens/refund_receipt.py" line="42" />
            <source>{amount} will be paid back to you. Keep the reference if you ask staff about it.</source>
            <translation>Se le devolverán {amount}. Guarde la referencia por si pregunta al personal.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/refund_receipt.py" line="44" />
            <source>To be paid back</source>
            <translation>Por devolver</translation>
        </message>
        <message>
            <location filename="../../ui/screens/refund_receipt.py" line="44" />
            <source>Balance now</source>
            <translation>Saldo ahora</translation>
        </message>
        <message>
            <location filename="../../ui/screens/refund_receipt.py" line="46" />
            <source>Reference: {ref}</source>
            <translation>Referencia: {ref}</translation>
        </message>
    </context>
    <context>
        <name>RegisterAddressScreen</name>
        <message>
            <location filename="../../ui/screens/register_address.py" line="66" />
            <source>What is your address?</source>
            <translation>¿Cuál es su dirección?</translation>
        </message>
    </context>
    <context>
        <name>RegisterContactScreen</name>
        <message>
            <location filename="../../ui/screens/register_contact.py" line="63" />
            <source>How can we reach you?</source>
            <translation>¿Cómo le contactamos?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/register_contact.py" line="64" />
            <source>Your loved one's calls will come to this phone.</source>
            <translation>Su ser querido le llamará a este teléfono.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/register_contact.py" line="65" />
            <source>Sign in instead</source>
            <translation>Mejor iniciar sesión</translation>
        </message>
        <message>
            <location filename="../../ui/screens/register_contact.py" line="66" />
            <source>Sign in instead with this phone number</source>
            <translation>Iniciar sesión con este número de teléfono</translation>
        </message>
    </context>
    <context>
        <name>RegisterNameScreen</name>
        <message>
            <location filename="../../ui/screens/register_name.py" line="45" />
            <source>What is your name?</source>
            <translation>¿Cómo se llama?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/register_name.py" line="46" />
            <source>Use the name on your photo ID.</source>
            <translation>Use el nombre que aparece en su identificación con foto.</translation>
        </message>
    </context>
    <context>
        <name>RegisterPinScreen</name>
        <message>
            <location filename="../../ui/screens/register_pin.py" line="53" />
            <source>Choose a PIN</source>
            <translation>Elija un PIN</translation>
        </message>
        <message>
            <location filename="../../ui/screens/register_pin.py" line="55" />
            <source>You will use it with your phone number to sign in. Keep it secret.</source>
            <translation>Lo usará con su teléfono para entrar. Guárdelo en secreto.</translation>
        </message>
    </context>
    <context>
        <name>ResidentScreen</name>
        <message>
            <location filename="../../ui/screens/resident.py" line="114" />
            <source>Type at least 2 letters of their name, or their ID number.</source>
            <translation>Escriba al menos 2 letras de su nombre, o su número de identificación.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/resident.py" line="148" />
            <source>{name}
ID {number}</source>
            <translation>{name}
N.º {number}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/resident.py" line="151" />
            <source>{name}, ID number {number}</source>
            <translation>{name}, número de identificación {number}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/resident.py" line="159" />
            <source>No one found. Check the spelling, or try their ID number.</source>
            <translation>No se encontró a nadie. Revise cómo lo escribió o pruebe con su número de identificación.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/resident.py" line="161" />
            <source>Touch the right person:</source>
            <translation>Toque a la persona correcta:</translation>
        </message>
        <message>
            <location filename="../../ui/screens/resident.py" line="168" />
            <source>Who do you want to stay in touch with?</source>
            <translation>¿Con quién desea mantenerse en contacto?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/resident.py" line="171" />
            <source>At {facility}</source>
            <translation>En {facility}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/resident.py" line="175" />
            <location filename="../../ui/screens/resident.py" line="176" />
            <source>Their name or ID number</source>
            <translation>Su nombre o número de identificación</translation>
        </message>
        <message>
            <location filename="../../ui/screens/resident.py" line="177" />
            <location filename="../../ui/screens/resident.py" line="178" />
            <source>Search</source>
            <translation>Buscar</translation>
        </message>
    </context>
    <context>
        <name>ReviewScreen</name>
        <message>
            <location filename="../../ui/screens/review.py" line="118" />
            <source>{resident} at {facility}</source>
            <translation>{resident}, en {facility}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/review.py" line="124" />
            <source>Chosen (hidden for your privacy)</source>
            <translation>Elegido (oculto por su privacidad)</translation>
        </message>
        <message>
            <location filename="../../ui/screens/review.py" line="133" />
            <source>Please check your details</source>
            <translation>Revise sus datos</translation>
        </message>
        <message>
            <location filename="../../ui/screens/review.py" line="135" />
            <source>Your loved one</source>
            <translation>Su ser querido</translation>
        </message>
        <message>
            <location filename="../../ui/screens/review.py" line="136" />
            <source>Your name</source>
            <translation>Su nombre</translation>
        </message>
        <message>
            <location filename="../../ui/screens/review.py" line="137" />
            <source>Phone and email</source>
            <translation>Teléfono y correo electrónico</translation>
        </message>
        <message>
            <location filename="../../ui/screens/review.py" line="138" />
            <source>Address</source>
            <translation>Dirección</translation>
        </message>
        <message>
            <location filename="../../ui/screens/review.py" line="139" />
            <source>PIN</source>
            <translation>PIN</translation>
        </message>
        <message>
            <location filename="../../ui/screens/review.py" line="143" />
            <source>Edit</source>
            <translation>Cambiar</translation>
        </message>
        <message>
            <location filename="../../ui/screens/review.py" line="145" />
            <source>Edit: {section}</source>
            <translation>Cambiar: {section}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/review.py" line="147" />
            <location filename="../../ui/screens/review.py" line="148" />
            <source>Create account</source>
            <translation>Crear cuenta</translation>
        </message>
    </context>
    <context>
        <name>Screen</name>
        <message>
            <location filename="../../ui/screens/base.py" line="115" />
            <source>Working, please wait</source>
            <translation>Un momento, por favor</translation>
        </message>
    </context>
    <context>
        <name>SignInScreen</name>
        <message>
            <location filename="../../ui/screens/sign_in.py" line="109" />
            <source>For your safety, signing in is locked until {time}. Please try again then, or ask staff for help.</source>
            <translation>Por su seguridad, el inicio de sesión está bloqueado hasta las {time}. Inténtelo de nuevo a esa hora o pida ayuda al personal.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/sign_in.py" line="113" />
            <source>One more wrong try and signing in locks for 15 minutes.</source>
            <translation>Un intento incorrecto más y el inicio de sesión se bloquea durante 15 minutos.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/sign_in.py" line="115" />
            <source>{count} more wrong tries and signing in locks for 15 minutes.</source>
            <translation>{count} intentos incorrectos más y el inicio de sesión se bloquea durante 15 minutos.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/sign_in.py" line="123" />
            <source>Sign in</source>
            <translation>Iniciar sesión</translation>
        </message>
        <message>
            <location filename="../../ui/screens/sign_in.py" line="124" />
            <source>Enter your mobile phone number and your PIN.</source>
            <translation>Escriba su número de celular y su PIN.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/sign_in.py" line="125" />
            <location filename="../../ui/screens/sign_in.py" line="126" />
            <source>Forgot your PIN?</source>
            <translation>¿Olvidó su PIN?</translation>
        </message>
    </context>
    <context>
        <name>StaffBar</name>
        <message>
            <location filename="../../ui/widgets/staff_bar.py" line="75" />
            <source>Leave kiosk mode</source>
            <translation>Salir del modo quiosco</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/staff_bar.py" line="45" />
            <source>Supervisor</source>
            <translation>Supervisor</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/staff_bar.py" line="46" />
            <source>Officer</source>
            <translation>Oficial</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/staff_bar.py" line="49" />
            <source> (signed in offline)</source>
            <translation> (sesión sin conexión)</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/staff_bar.py" line="52"/>
        <location filename="../../ui/widgets/staff_bar.py" line="53" />
            <source>End staff mode</source>
            <translation>Salir del modo de personal</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/staff_bar.py" line="48" />
            <source>{name} · {role}</source>
            <translation>{name} · {role}</translation>
        </message>
    </context>
    <context>
        <name>StaffConflictResolveScreen</name>
        <message>
            <location filename="../../ui/screens/staff_conflict_resolve.py" line="33" />
            <source>{name}, {phone}, signed up at {time}</source>
            <translation>{name}, {phone}, se registró a las {time}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_conflict_resolve.py" line="39" />
            <source>Resolve</source>
            <translation>Resolver</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_conflict_resolve.py" line="42" />
            <source>Resolve a sign-up conflict</source>
            <translation>Resolver un conflicto de registro</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_conflict_resolve.py" line="44" />
            <source>Say what was done, for example: the family signed in with their PIN.</source>
            <translation>Indique qué se hizo, por ejemplo: la familia inició sesión con su PIN.</translation>
        </message>
    </context>
    <context>
        <name>StaffConflictsScreen</name>
        <message>
            <location filename="../../ui/screens/staff_conflicts.py" line="42" />
            <source>{name}  ·  {phone}  ·  {email}  ·  signed up at {time}</source>
            <translation>{name}  ·  {phone}  ·  {email}  ·  se registró a las {time}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_conflicts.py" line="48" />
            <source>Loading the conflicts…</source>
            <translation>Cargando los conflictos…</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_conflicts.py" line="50" />
            <source>No open sign-up conflicts.</source>
            <translation>No hay conflictos de registro abiertos.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_conflicts.py" line="52" />
            <source>A sign-up made offline found an account with the same phone. Choose one to resolve it.</source>
            <translation>Un registro hecho sin conexión encontró una cuenta con el mismo teléfono. Elija uno para resolverlo.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_conflicts.py" line="74" />
            <source>Sign-up conflicts</source>
            <translation>Conflictos de registro</translation>
        </message>
    </context>
    <context>
        <name>StaffHomeScreen</name>
        <message>
            <location filename="../../ui/screens/staff_home.py" line="57" />
            <source>Staff</source>
            <translation>Personal</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_home.py" line="58" />
            <source>What do you need to do?</source>
            <translation>¿Qué necesita hacer?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_home.py" line="60" />
            <source>Help a family sign up</source>
            <translation>Ayudar a una familia a registrarse</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_home.py" line="61" />
            <source>Sign-up conflicts</source>
            <translation>Conflictos de registro</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_home.py" line="62" />
            <source>This kiosk&apos;s outbox</source>
            <translation>Bandeja de salida de este quiosco</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_home.py" line="1" />
            <source>Help a family who has an account</source>
            <translation>Ayudar a una familia que ya tiene cuenta</translation>
        </message>
    </context>
    <context>
        <name>StaffListScreen</name>
        <message>
            <location filename="../../ui/screens/staff_list.py" line="46" />
            <source>Refresh</source>
            <translation>Actualizar</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_list.py" line="48" />
            <source>Refresh the list</source>
            <translation>Actualizar la lista</translation>
        </message>
    </context>
    <context>
        <name>StaffOutbox</name>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="35" />
            <source>Loved one to add</source>
            <translation>Ser querido por agregar</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="36" />
            <source>Loved one report</source>
            <translation>Aviso de ser querido</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="21" />
            <source>Waiting</source>
            <translation>En espera</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="22" />
            <source>Sent</source>
            <translation>Enviado</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="23" />
            <source>Conflict</source>
            <translation>Conflicto</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="24" />
            <source>Failed</source>
            <translation>Falló</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="25" />
            <source>Discarded</source>
            <translation>Descartado</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="32" />
            <source>Sign-up</source>
            <translation>Registro</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="33" />
            <source>Conflict report</source>
            <translation>Aviso de conflicto</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="39" />
            <source>#{id} {operation} at {time}: {state}, {attempts} tries</source>
            <translation>#{id} {operation} a las {time}: {state}, {attempts} intentos</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="45" />
            <source> (last error: {error})</source>
            <translation> (último error: {error})</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="34" />
            <source>Staff action record</source>
            <translation>Registro de acción del personal</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="1" />
            <source>Server said: {answer}</source>
            <translation>El servidor respondió: {answer}</translation>
        </message>
    </context>
    <context>
        <name>StaffOutboxDiscardScreen</name>
        <message>
            <location filename="../../ui/screens/staff_outbox_discard.py" line="33" />
            <source>Discard</source>
            <translation>Descartar</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox_discard.py" line="36" />
            <source>Discard an outbox entry</source>
            <translation>Quitar un envío</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox_discard.py" line="38" />
            <source>It will not be sent again. Say why, for example: the family signed up again.</source>
            <translation>No se volverá a enviar. Indique por qué, por ejemplo: la familia se registró de nuevo.</translation>
        </message>
    </context>
    <context>
        <name>StaffOutboxScreen</name>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="85" />
            <source>Loading the outbox…</source>
            <translation>Cargando la bandeja de salida…</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="87" />
            <source>The outbox is empty.</source>
            <translation>La bandeja de salida está vacía.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="90" />
            <source>{waiting} waiting to be sent. Choose a failed entry or a conflict to discard it.</source>
            <translation>{waiting} en espera de envío. Elija un envío fallido o un conflicto para descartarlo.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="118" />
            <source>This kiosk&apos;s outbox</source>
            <translation>Bandeja de salida de este quiosco</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="120" />
            <source>Retry now</source>
            <translation>Reintentar ahora</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_outbox.py" line="121" />
            <source>Send everything waiting now</source>
            <translation>Enviar ahora todo lo que espera</translation>
        </message>
    </context>
    <context>
        <name>StaffPhotoIdScreen</name>
        <message>
            <location filename="../../ui/screens/staff_photo_id.py" line="64" />
            <source>Help a family sign up</source>
            <translation>Ayudar a una familia a registrarse</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_photo_id.py" line="66" />
            <source>Check the photo ID of the person you are signing up. Then you fill in the sign-up for them, and they choose their own PIN.</source>
            <translation>Revise la identificación con foto de la persona que va a registrar. Luego usted llena el registro por ella, y ella elige su propio PIN.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_photo_id.py" line="69"/>
        <location filename="../../ui/screens/staff_photo_id.py" line="71" />
            <source>Photo ID checked</source>
            <translation>Identificación con foto revisada</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_photo_id.py" line="72" />
            <source>Continue to sign-up ›</source>
            <translation>Continuar al registro ›</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_photo_id.py" line="73" />
            <source>Continue to sign-up</source>
            <translation>Continuar al registro</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_photo_id.py" line="69" />
            <source>☑  Photo ID checked</source>
            <translation>☑  Identificación con foto revisada</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_photo_id.py" line="70" />
            <source>☐  Photo ID checked</source>
            <translation>☐  Identificación con foto revisada</translation>
        </message>
    </context>
    <context>
        <name>StaffSignInScreen</name>
        <message>
            <location filename="../../ui/screens/staff_sign_in.py" line="98" />
            <source>Staff sign-in for this badge is locked until {time}.</source>
            <translation>El acceso del personal con esta credencial está bloqueado hasta las {time}.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_sign_in.py" line="101" />
            <source>One more wrong try and this badge locks for 15 minutes.</source>
            <translation>Un intento incorrecto más y esta credencial se bloquea por 15 minutos.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_sign_in.py" line="103" />
            <source>{count} more wrong tries and this badge locks for 15 minutes.</source>
            <translation>{count} intentos incorrectos más y esta credencial se bloquea por 15 minutos.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_sign_in.py" line="110" />
            <source>Staff sign-in</source>
            <translation>Acceso del personal</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_sign_in.py" line="111" />
            <source>Enter your badge number and your staff PIN.</source>
            <translation>Ingrese su número de credencial y su PIN de personal.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_sign_in.py" line="116" />
            <source>Sign in</source>
            <translation>Iniciar sesión</translation>
        </message>
        <message>
            <location filename="../../ui/screens/staff_sign_in.py" line="117" />
            <source>Sign in to staff mode</source>
            <translation>Iniciar sesión en el modo de personal</translation>
        </message>
    </context>
    <context>
        <name>Notice</name>
        <message>
            <location filename="../../ui/widgets/notice.py" line="45" />
            <source>More</source>
            <translation>Más</translation>
        </message>
    </context>
    <context>
        <name>StatusBanners</name>
        <message>
            <location filename="../../ui/widgets/banners.py" line="75" />
            <source>The receipt printer is out of paper. Your receipt was e-mailed.</source>
            <translation>La impresora de recibos no tiene papel. Le enviamos el recibo por correo electrónico.</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/banners.py" line="78" />
            <source>The receipt printer is not working. Your receipt was e-mailed.</source>
            <translation>La impresora de recibos no funciona. Le enviamos el recibo por correo electrónico.</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/banners.py" line="42" />
            <source>Offline: you can still create an account and see rates. Signing in and payments return when we reconnect.</source>
            <translation>Sin conexión: puede crear una cuenta y ver las tarifas. Iniciar sesión y pagar vuelven cuando se recupere la conexión.</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/banners.py" line="58" />
            <source>Waiting to be sent: %1</source>
            <translation>En espera de envío: %1</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/banners.py" line="44" />
            <source>Card payments are unavailable on this kiosk</source>
            <translation>Los pagos con tarjeta no están disponibles en este quiosco</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/banners.py" line="140" />
            <source>Offline: no signing in or payments for now</source>
            <translation>Sin conexión: sin sesión ni pagos por ahora</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/banners.py" line="140" />
            <source>No card payments here</source>
            <translation>Sin pagos con tarjeta aquí</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/banners.py" line="140" />
            <source>No paper: receipt e-mailed</source>
            <translation>Sin papel: recibo por correo</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/banners.py" line="140" />
            <source>Printer down: receipt e-mailed</source>
            <translation>Impresora averiada: recibo por correo</translation>
        </message>
    </context>
    <context>
        <name>SubscriptionRow</name>
        <message>
            <location filename="../../ui/widgets/subscription_row.py" line="84" />
            <source>Keep it</source>
            <translation>Conservarla</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/subscription_row.py" line="85" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/subscription_row.py" line="88" />
            <source>Renew automatically</source>
            <translation>Renovar automáticamente</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/subscription_row.py" line="89" />
            <source>Renew by hand</source>
            <translation>Renovarla yo</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/subscription_row.py" line="92" />
            <source>Renew now</source>
            <translation>Renovar ahora</translation>
        </message>
    </context>
    <context>
        <name>SubscriptionText</name>
        <message>
            <location filename="../../ui/subscription_text.py" line="13" />
            <source>unlimited video sessions</source>
            <translation>sesiones de video ilimitadas</translation>
        </message>
        <message>
            <location filename="../../ui/subscription_text.py" line="16" />
            <source>{left} of {total} video sessions left</source>
            <translation>quedan {left} de {total} sesiones de video</translation>
        </message>
        <message>
            <location filename="../../ui/subscription_text.py" line="20" />
            <source>{left} of {total} calls left</source>
            <translation>quedan {left} de {total} llamadas</translation>
        </message>
        <message>
            <location filename="../../ui/subscription_text.py" line="27" />
            <source>Cancelled: active until {date}. No refund.</source>
            <translation>Cancelada: activa hasta el {date}. Sin reembolso.</translation>
        </message>
        <message>
            <location filename="../../ui/subscription_text.py" line="31" />
            <source>Renews automatically until {date}; after that it ends unless you renew it.</source>
            <translation>Se renueva automáticamente hasta el {date}; después termina a menos que usted la renueve.</translation>
        </message>
        <message>
            <location filename="../../ui/subscription_text.py" line="36" />
            <source>Ends {date}; from then on it renews automatically.</source>
            <translation>Termina el {date}; a partir de entonces se renueva automáticamente.</translation>
        </message>
        <message>
            <location filename="../../ui/subscription_text.py" line="40" />
            <source>Renews automatically on {date}.</source>
            <translation>Se renueva automáticamente el {date}.</translation>
        </message>
        <message>
            <location filename="../../ui/subscription_text.py" line="42" />
            <source>Ends {date} unless you renew it.</source>
            <translation>Termina el {date} a menos que usted la renueve.</translation>
        </message>
    </context>
    <context>
        <name>TransactionsScreen</name>
        <message>
            <location filename="../../ui/screens/transactions.py" line="131" />
            <source>Money added</source>
            <translation>Dinero agregado</translation>
        </message>
        <message>
            <location filename="../../ui/screens/transactions.py" line="132" />
            <source>Call</source>
            <translation>Llamada</translation>
        </message>
        <message>
            <location filename="../../ui/screens/transactions.py" line="133" />
            <source>Refund asked for</source>
            <translation>Reembolso pedido</translation>
        </message>
        <message>
            <location filename="../../ui/screens/transactions.py" line="134" />
            <source>Held for a call in progress</source>
            <translation>Apartado para una llamada en curso</translation>
        </message>
        <message>
            <location filename="../../ui/screens/transactions.py" line="135" />
            <source>Hold returned after a call</source>
            <translation>Devuelto después de una llamada</translation>
        </message>
        <message>
            <location filename="../../ui/screens/transactions.py" line="140" />
            <source>Your payments</source>
            <translation>Sus pagos</translation>
        </message>
        <message>
            <location filename="../../ui/screens/transactions.py" line="144" />
            <source>AdvanceConnect balance: {amount}</source>
            <translation>Saldo de AdvanceConnect: {amount}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/transactions.py" line="158" />
            <source>No payments yet.</source>
            <translation>Todavía no hay pagos.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/transactions.py" line="161" />
            <location filename="../../ui/screens/transactions.py" line="162" />
            <source>Ask for a refund of my balance</source>
            <translation>Pedir el reembolso de mi saldo</translation>
        </message>
        <message>
            <location filename="../../ui/screens/transactions.py" line="163" />
            <source>Try again</source>
            <translation>Intentar de nuevo</translation>
        </message>
        <message>
            <location filename="../../ui/screens/transactions.py" line="164" />
            <source>Load your payments again</source>
            <translation>Cargar sus pagos de nuevo</translation>
        </message>
        <message>
            <location filename="../../ui/screens/transactions.py" line="165" />
            <location filename="../../ui/screens/transactions.py" line="166" />
            <source>Back to my account</source>
            <translation>Volver a mi cuenta</translation>
        </message>
    </context>
    <context>
        <name>UncoveredCallsScreen</name>
        <message>
            <location filename="../../ui/screens/uncovered_calls.py" line="24" />
            <source>In-state</source>
            <translation>Dentro del estado</translation>
        </message>
        <message>
            <location filename="../../ui/screens/uncovered_calls.py" line="25" />
            <source>Another state</source>
            <translation>Otro estado</translation>
        </message>
        <message>
            <location filename="../../ui/screens/uncovered_calls.py" line="26" />
            <source>Another country</source>
            <translation>Otro país</translation>
        </message>
        <message>
            <location filename="../../ui/screens/uncovered_calls.py" line="97" />
            <source>Calls your subscription does not cover</source>
            <translation>Llamadas que su suscripción no cubre</translation>
        </message>
        <message>
            <location filename="../../ui/screens/uncovered_calls.py" line="100" />
            <source>A Call Subscription covers in-state calls only. Calls to another state or country, and calls without a subscription, are paid from your AdvanceConnect balance, or one at a time as a Single Call, at these prices per minute:</source>
            <translation>Una suscripción de llamadas solo cubre llamadas dentro del estado. Las llamadas a otro estado o país, y las llamadas sin suscripción, se pagan con su saldo de AdvanceConnect, o una por una como Llamada Única, a estos precios por minuto:</translation>
        </message>
        <message>
            <location filename="../../ui/screens/uncovered_calls.py" line="106" />
            <source>Phone call</source>
            <translation>Llamada</translation>
        </message>
        <message>
            <location filename="../../ui/screens/uncovered_calls.py" line="107" />
            <source>Video call</source>
            <translation>Videollamada</translation>
        </message>
        <message>
            <location filename="../../ui/screens/uncovered_calls.py" line="113" />
            <source>{price}/min</source>
            <translation>{price}/min</translation>
        </message>
        <message>
            <location filename="../../ui/screens/uncovered_calls.py" line="117" />
            <location filename="../../ui/screens/uncovered_calls.py" line="118" />
            <source>Back to my account</source>
            <translation>Volver a mi cuenta</translation>
        </message>
    </context>
    <context>
        <name>OutOfServiceOverlay</name>
        <message>
            <location filename="../../ui/widgets/out_of_service.py" line="52" />
            <source>This kiosk is out of service</source>
            <translation>Este quiosco está fuera de servicio</translation>
        </message>
        <message>
            <location filename="../../ui/widgets/out_of_service.py" line="53" />
            <source>Please use another kiosk, or ask staff for help.</source>
            <translation>Use otro quiosco o pida ayuda al personal.</translation>
        </message>
    </context>
    <context>
        <name>AccountHomeScreen</name>
        <message>
            <source>Add money with cash</source>
            <translation>Agregar dinero en efectivo</translation>
        </message>
    </context>
    <context>
        <name>Messages</name>
        <message>
            <source>The note acceptor is not working right now, so no cash can be taken. Please ask staff for help, or add money with a card.</source>
            <translation>El aceptador de billetes no funciona en este momento, así que no se puede recibir efectivo. Pida ayuda al personal o agregue dinero con una tarjeta.</translation>
        </message>
        <message>
            <source>This note was settled already. The list shows the notes still in doubt.</source>
            <translation>Este billete ya se resolvió. La lista muestra los billetes que siguen en duda.</translation>
        </message>
    </context>
    <context>
        <name>StaffHomeScreen</name>
        <message>
            <source>Cash box</source>
            <translation>Caja de billetes</translation>
        </message>
    </context>
    <context>
        <name>CashIntroScreen</name>
        <message>
            <source>Add money with cash</source>
            <translation>Agregar dinero en efectivo</translation>
        </message>
        <message>
            <source>Checking the note acceptor...</source>
            <translation>Revisando el aceptador de billetes...</translation>
        </message>
        <message>
            <source>This kiosk takes these notes: {notes}.</source>
            <translation>Este quiosco acepta estos billetes: {notes}.</translation>
        </message>
        <message>
            <source>You can add up to {maximum} in one visit. There is no fee for cash. Coins are not taken.</source>
            <translation>Puede agregar hasta {maximum} en una visita. El efectivo no tiene cargo. No se aceptan monedas.</translation>
        </message>
        <message>
            <source>Cash cannot be refunded at a kiosk. Your balance can be refunded on request.</source>
            <translation>El efectivo no se puede reembolsar en un quiosco. Su saldo se puede reembolsar si lo solicita.</translation>
        </message>
        <message>
            <source>Start: I will insert my notes</source>
            <translation>Empezar: voy a insertar mis billetes</translation>
        </message>
    </context>
    <context>
        <name>CashInsertScreen</name>
        <message>
            <source>This note could not be read. Please take it back, flatten it and try again, or try another note.</source>
            <translation>No se pudo leer este billete. Retírelo, alíselo e inténtelo de nuevo, o pruebe con otro billete.</translation>
        </message>
        <message>
            <source>This note was not accepted. Please take it back.</source>
            <translation>Este billete no fue aceptado. Por favor, retírelo.</translation>
        </message>
        <message>
            <source>This kiosk does not take that note. Please take it back.</source>
            <translation>Este quiosco no acepta ese billete. Por favor, retírelo.</translation>
        </message>
        <message>
            <source>That note would go over the most you can add in one visit. Please take it back.</source>
            <translation>Ese billete superaría lo máximo que puede agregar en una visita. Por favor, retírelo.</translation>
        </message>
        <message>
            <source>Your note was given back. Please take it.</source>
            <translation>Se le devolvió el billete. Por favor, tómelo.</translation>
        </message>
        <message>
            <source>Your note was given back. Please take it and insert it again.</source>
            <translation>Se le devolvió el billete. Tómelo e insértelo de nuevo.</translation>
        </message>
        <message>
            <source>Your note was taken back before it was added. It was not added.</source>
            <translation>El billete se retiró antes de agregarse. No se agregó.</translation>
        </message>
        <message>
            <source>Insert your notes one at a time</source>
            <translation>Inserte sus billetes de uno en uno</translation>
        </message>
        <message>
            <source>Checking your note...</source>
            <translation>Revisando su billete...</translation>
        </message>
        <message>
            <source>{note} note accepted. Adding it...</source>
            <translation>Billete de {note} aceptado. Agregándolo...</translation>
        </message>
        <message>
            <source>Insert another note, or touch Done.</source>
            <translation>Inserte otro billete o toque Listo.</translation>
        </message>
        <message>
            <source>Insert a note, face up, into the slot below the screen.</source>
            <translation>Inserte un billete, boca arriba, en la ranura debajo de la pantalla.</translation>
        </message>
        <message>
            <source>Notes added: {notes}</source>
            <translation>Billetes agregados: {notes}</translation>
        </message>
        <message>
            <source>No notes added yet.</source>
            <translation>Todavía no se agregó ningún billete.</translation>
        </message>
        <message>
            <source>Total added: {total}</source>
            <translation>Total agregado: {total}</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>Listo</translation>
        </message>
        <message>
            <source>Demo notes:</source>
            <translation>Billetes de demostración:</translation>
        </message>
        <message>
            <source>Bad note</source>
            <translation>Billete malo</translation>
        </message>
        <message>
            <source>Jam</source>
            <translation>Atasco</translation>
        </message>
    </context>
    <context>
        <name>CashProblemScreen</name>
        <message>
            <source>A note is stuck</source>
            <translation>Un billete está atascado</translation>
        </message>
        <message>
            <source>The note acceptor is jammed. Please do not try to pull the note out. Staff will clear it; a note that was taken is added to your account.</source>
            <translation>El aceptador de billetes está atascado. No intente sacar el billete. El personal lo despejará; un billete que fue recibido se agrega a su cuenta.</translation>
        </message>
        <message>
            <source>The cash box is full</source>
            <translation>La caja de billetes está llena</translation>
        </message>
        <message>
            <source>This kiosk cannot take more notes until staff empty it.</source>
            <translation>Este quiosco no puede recibir más billetes hasta que el personal la vacíe.</translation>
        </message>
        <message>
            <source>The note acceptor stopped working</source>
            <translation>El aceptador de billetes dejó de funcionar</translation>
        </message>
        <message>
            <source>No more notes can be taken right now. Every note that was taken is added to your account.</source>
            <translation>No se pueden recibir más billetes ahora. Cada billete que se recibió se agrega a su cuenta.</translation>
        </message>
        <message>
            <source>Your note was pulled back</source>
            <translation>Su billete se retiró</translation>
        </message>
        <message>
            <source>The note came back out before it was taken, so it was not added. You can insert it again.</source>
            <translation>El billete salió antes de ser recibido, así que no se agregó. Puede insertarlo de nuevo.</translation>
        </message>
        <message>
            <source>The note acceptor works again</source>
            <translation>El aceptador de billetes funciona de nuevo</translation>
        </message>
        <message>
            <source>You can insert more notes, or finish now.</source>
            <translation>Puede insertar más billetes o terminar ahora.</translation>
        </message>
        <message>
            <source>Added so far: {total}</source>
            <translation>Agregado hasta ahora: {total}</translation>
        </message>
        <message>
            <source>Staff have been told. Please ask them if you need help.</source>
            <translation>Se avisó al personal. Pídales ayuda si la necesita.</translation>
        </message>
        <message>
            <source>Insert more notes</source>
            <translation>Insertar más billetes</translation>
        </message>
        <message>
            <source>Done: finish with what was added</source>
            <translation>Listo: terminar con lo agregado</translation>
        </message>
    </context>
    <context>
        <name>CashReceiptScreen</name>
        <message>
            <source>Cash, 1 note</source>
            <translation>Efectivo, 1 billete</translation>
        </message>
        <message>
            <source>Cash, {count} notes</source>
            <translation>Efectivo, {count} billetes</translation>
        </message>
        <message>
            <source>Cash added</source>
            <translation>Efectivo agregado</translation>
        </message>
        <message>
            <source>No cash was added</source>
            <translation>No se agregó efectivo</translation>
        </message>
        <message>
            <source>No note was taken, so nothing was added to your account.</source>
            <translation>No se recibió ningún billete, así que no se agregó nada a su cuenta.</translation>
        </message>
        <message>
            <source>{amount} was added to your AdvanceConnect balance.</source>
            <translation>Se agregaron {amount} a su saldo de AdvanceConnect.</translation>
        </message>
        <message>
            <source>{amount} will be added to your AdvanceConnect balance as soon as the kiosk reconnects. Your notes are safe.</source>
            <translation>Se agregarán {amount} a su saldo de AdvanceConnect en cuanto el quiosco se vuelva a conectar. Sus billetes están seguros.</translation>
        </message>
        <message>
            <source>Cash cannot be refunded at a kiosk. Your balance can be refunded on request.</source>
            <translation>El efectivo no se puede reembolsar en un quiosco. Su saldo se puede reembolsar si lo solicita.</translation>
        </message>
        <message>
            <source>We also send this receipt to your e-mail.</source>
            <translation>También le enviamos este recibo por correo electrónico.</translation>
        </message>
        <message>
            <source>Paid with</source>
            <translation>Pagado con</translation>
        </message>
        <message>
            <source>Added to AdvanceConnect</source>
            <translation>Agregado a AdvanceConnect</translation>
        </message>
    </context>
    <context>
        <name>StaffCashBoxScreen</name>
        <message>
            <source>The note acceptor is offline: check its cable and power.</source>
            <translation>El aceptador de billetes está desconectado: revise su cable y su alimentación.</translation>
        </message>
        <message>
            <source>The note acceptor is jammed: clear the note path.</source>
            <translation>El aceptador de billetes está atascado: despeje el paso de billetes.</translation>
        </message>
        <message>
            <source>The cash box is full: empty it.</source>
            <translation>La caja de billetes está llena: vacíela.</translation>
        </message>
        <message>
            <source>A note was pulled back out of the acceptor: check it is not being tampered with.</source>
            <translation>Se retiró un billete del aceptador: revise que nadie lo esté manipulando.</translation>
        </message>
        <message>
            <source>{count} x {note}</source>
            <translation>{count} x {note}</translation>
        </message>
        <message>
            <source>No notes.</source>
            <translation>Sin billetes.</translation>
        </message>
        <message>
            <source>Total: {total} in {count} notes</source>
            <translation>Total: {total} en {count} billetes</translation>
        </message>
        <message>
            <source>Notes in doubt (not credited, see the audit trail): {count}</source>
            <translation>Billetes en duda (sin acreditar, vea el registro de auditoría): {count}</translation>
        </message>
        <message>
            <source>Cash box</source>
            <translation>Caja de billetes</translation>
        </message>
        <message>
            <source>Cash box {number}</source>
            <translation>Caja de billetes {number}</translation>
        </message>
        <message>
            <source>Take the cash box out of the acceptor, then touch the button: the count is closed and sent. The next notes go into the next cash box.</source>
            <translation>Saque la caja de billetes del aceptador y luego toque el botón: el conteo se cierra y se envía. Los billetes siguientes van a la caja siguiente.</translation>
        </message>
        <message>
            <source>Cash box removed</source>
            <translation>Caja de billetes retirada</translation>
        </message>
    </context>
    <context>
        <name>StaffCashCountScreen</name>
        <message>
            <source>{note} notes</source>
            <translation>Billetes de {note}</translation>
        </message>
        <message>
            <source>Notes in doubt (not credited, see the audit trail): {count}</source>
            <translation>Billetes en duda (no acreditados, vea el registro de auditoría): {count}</translation>
        </message>
        <message>
            <source>Counted by: ____________________</source>
            <translation>Contado por: ____________________</translation>
        </message>
        <message>
            <source>Checked by: ____________________</source>
            <translation>Revisado por: ____________________</translation>
        </message>
        <message>
            <source>Cash box {number} count</source>
            <translation>Conteo de la caja de billetes {number}</translation>
        </message>
        <message>
            <source>Cash box {number}</source>
            <translation>Caja de billetes {number}</translation>
        </message>
        <message>
            <source>Total</source>
            <translation>Total</translation>
        </message>
        <message>
            <source>{total} in {count} notes</source>
            <translation>{total} en {count} billetes</translation>
        </message>
        <message>
            <source>Cash box {number} taken out</source>
            <translation>Caja de billetes {number} retirada</translation>
        </message>
        <message>
            <source>This count was sent to the central office with this kiosk's other records. Put an empty cash box in.</source>
            <translation>Este conteo se envió a la oficina central con los demás registros de este quiosco. Coloque una caja de billetes vacía.</translation>
        </message>
        <message>
            <source>Back to staff home</source>
            <translation>Volver al inicio del personal</translation>
        </message>
    </context>
    <context>
        <name>ReaderPayScreen</name>
        <message>
            <source>Keep this card on file for automatic renewals. You can remove it at any time.</source>
            <translation>Guardar esta tarjeta para las renovaciones automáticas. Puede quitarla cuando quiera.</translation>
        </message>
        <message>
            <source>Checking with the server...</source>
            <translation>Consultando con el servidor...</translation>
        </message>
        <message>
            <source>Your card was declined, so nothing was charged.</source>
            <translation>Su tarjeta fue rechazada, así que no se cobró nada.</translation>
        </message>
        <message>
            <source>The card was taken out too early, so nothing was charged. Please try again and leave it in until the reader says to take it out.</source>
            <translation>La tarjeta se retiró demasiado pronto, así que no se cobró nada. Inténtelo de nuevo y déjela puesta hasta que el lector indique retirarla.</translation>
        </message>
        <message>
            <source>No card was presented in time, so nothing was charged.</source>
            <translation>No se presentó ninguna tarjeta a tiempo, así que no se cobró nada.</translation>
        </message>
        <message>
            <source>The payment was canceled. Nothing was charged.</source>
            <translation>El pago se canceló. No se cobró nada.</translation>
        </message>
        <message>
            <source>The card reader is not connected, so nothing was charged. Please ask staff for help.</source>
            <translation>El lector de tarjetas no está conectado, así que no se cobró nada. Pida ayuda al personal.</translation>
        </message>
        <message>
            <source>We lost touch with the server, so we can't say yet whether your card was charged. It is never charged twice: your account will show the payment if it went through.</source>
            <translation>Perdimos la conexión con el servidor, así que aún no sabemos si se cobró a su tarjeta. Nunca se cobra dos veces: su cuenta mostrará el pago si se realizó.</translation>
        </message>
        <message>
            <source>Your card was approved. It can take a minute to show on your account.</source>
            <translation>Su tarjeta fue aprobada. Puede tardar un minuto en aparecer en su cuenta.</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <source>Go back</source>
            <translation>Regresar</translation>
        </message>
        <message>
            <source>Type a card number (staff)</source>
            <translation>Escribir un número de tarjeta (personal)</translation>
        </message>
        <message>
            <source>You pay on the card reader beside this screen.</source>
            <translation>Usted paga en el lector de tarjetas junto a esta pantalla.</translation>
        </message>
        <message>
            <source>Pay {amount} on the card reader</source>
            <translation>Pagar {amount} en el lector de tarjetas</translation>
        </message>
        <message>
            <source>Insert, tap or swipe your card</source>
            <translation>Inserte, acerque o deslice su tarjeta</translation>
        </message>
        <message>
            <source>Starting the card reader...</source>
            <translation>Iniciando el lector de tarjetas...</translation>
        </message>
        <message>
            <source>Reading your card. Please leave it in the reader.</source>
            <translation>Leyendo su tarjeta. Déjela en el lector.</translation>
        </message>
        <message>
            <source>The card reader is ready: insert, tap or swipe your card on it.</source>
            <translation>El lector de tarjetas está listo: inserte, acerque o deslice su tarjeta en él.</translation>
        </message>
        <message>
            <source>Your card was not charged</source>
            <translation>No se cobró a su tarjeta</translation>
        </message>
        <message>
            <source>We can't tell yet</source>
            <translation>Aún no lo sabemos</translation>
        </message>
        <message>
            <source>Try again</source>
            <translation>Intentar de nuevo</translation>
        </message>
        <message>
            <source>Cancel the payment</source>
            <translation>Cancelar el pago</translation>
        </message>
    </context>
    <context>
        <name>ReaderDepositScreen</name>
        <message>
            <source>Add money on the card reader</source>
            <translation>Agregar dinero en el lector de tarjetas</translation>
        </message>
        <message>
            <source>Add {amount} to AdvanceConnect</source>
            <translation>Agregar {amount} a AdvanceConnect</translation>
        </message>
        <message>
            <source>{amount} plus a {fee} card fee. You pay on the card reader beside this screen.</source>
            <translation>{amount} más un cargo de {fee} por usar tarjeta. Pague en el lector de tarjetas junto a esta pantalla.</translation>
        </message>
    </context>
    <context>
        <name>ReaderRenewScreen</name>
        <message>
            <source>Keep this card on file to pay with one touch next time. You can remove it at any time.</source>
            <translation>Guardar esta tarjeta para pagar con un toque la próxima vez. Puede quitarla cuando quiera.</translation>
        </message>
        <message>
            <source>Renew on the card reader</source>
            <translation>Renovar en el lector de tarjetas</translation>
        </message>
        <message>
            <source>Renew {plan}</source>
            <translation>Renovar {plan}</translation>
        </message>
        <message>
            <source>The next month starts on {date}. You pay on the card reader beside this screen.</source>
            <translation>El próximo mes empieza el {date}. Paga en el lector de tarjetas junto a esta pantalla.</translation>
        </message>
    </context>
    <context>
        <name>RenewReceiptScreen</name>
        <message>
            <source>Renewed</source>
            <translation>Renovada</translation>
        </message>
        <message>
            <source>{plan} is paid for one more month. No refunds.</source>
            <translation>{plan} está pagada por un mes más. Sin reembolsos.</translation>
        </message>
        <message>
            <source>{plan} is paid for one more month with {card}. No refunds.</source>
            <translation>{plan} está pagada por un mes más con {card}. Sin reembolsos.</translation>
        </message>
        <message>
            <source>Plan</source>
            <translation>Plan</translation>
        </message>
        <message>
            <source>Charged today</source>
            <translation>Cobrado hoy</translation>
        </message>
        <message>
            <source>Next month starts</source>
            <translation>El próximo mes empieza</translation>
        </message>
        <message>
            <source>Paid until</source>
            <translation>Pagado hasta</translation>
        </message>
    </context>
    <context>
        <name>ReaderPlanScreen</name>
        <message>
            <source>Keep this card on file: automatic renewal charges it each month. You can remove it at any time.</source>
            <translation>Guardar esta tarjeta: la renovación automática se le cobra cada mes. Puede quitarla cuando quiera.</translation>
        </message>
        <message>
            <source>Buy a plan on the card reader</source>
            <translation>Comprar un plan en el lector de tarjetas</translation>
        </message>
        <message>
            <source>Buy {plan}</source>
            <translation>Comprar {plan}</translation>
        </message>
    </context>
    <context>
        <name>StaffHomeScreen</name>
        <message>
            <source>Card reader: {reader}, registered {day}.</source>
            <translation>Lector de tarjetas: {reader}, registrado el {day}.</translation>
        </message>
        <message>
            <source>No card reader is registered to this kiosk: families cannot pay on a reader. A supervisor registers one.</source>
            <translation>Este quiosco no tiene un lector de tarjetas registrado: las familias no pueden pagar en un lector. Un supervisor lo registra.</translation>
        </message>
        <message>
            <source>Card reader: not known now (the central API did not answer).</source>
            <translation>Lector de tarjetas: no se sabe ahora (el servidor central no respondió).</translation>
        </message>
        <message>
            <source>Card reader: asking the central API…</source>
            <translation>Lector de tarjetas: consultando al servidor central…</translation>
        </message>
        <message>
            <source>Notes in doubt</source>
            <translation>Billetes en duda</translation>
        </message>
    </context>
    <context>
        <name>StaffCashDoubt</name>
        <message>
            <source>{amount} note, {day} {time}, cash box {cassette}
Account {account}, visit {visit}</source>
            <translation>Billete de {amount}, {day} {time}, caja de billetes {cassette}
Cuenta {account}, visita {visit}</translation>
        </message>
    </context>
    <context>
        <name>StaffCashDoubtScreen</name>
        <message>
            <source>Notes in doubt</source>
            <translation>Billetes en duda</translation>
        </message>
        <message>
            <source>Loading the notes in doubt…</source>
            <translation>Cargando los billetes en duda…</translation>
        </message>
        <message>
            <source>No notes are in doubt.</source>
            <translation>No hay billetes en duda.</translation>
        </message>
        <message>
            <source>{count} notes the kiosk could not confirm were stacked. Count the cash box, then choose a note to credit it or mark it not found.</source>
            <translation>{count} billetes que el quiosco no pudo confirmar que se guardaron. Cuente la caja de billetes y luego elija un billete para acreditarlo o marcarlo como no encontrado.</translation>
        </message>
    </context>
    <context>
        <name>StaffCashDoubtSettleScreen</name>
        <message>
            <source>Credit this note</source>
            <translation>Acreditar este billete</translation>
        </message>
        <message>
            <source>Settle a note in doubt</source>
            <translation>Resolver un billete en duda</translation>
        </message>
        <message>
            <source>Count the cash box first, then say what you found.</source>
            <translation>Cuente primero la caja de billetes y diga qué encontró.</translation>
        </message>
        <message>
            <source>Not found</source>
            <translation>No encontrado</translation>
        </message>
        <message>
            <source>The note was not found</source>
            <translation>El billete no se encontró</translation>
        </message>
    </context>
</TS>
